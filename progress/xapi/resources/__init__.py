"""The resources of the LRS (Communication §2): statements, documents, activities, agents,
about; each a view over the services of progress."""
