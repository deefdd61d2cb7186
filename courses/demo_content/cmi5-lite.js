/* A minimal cmi5 assignable unit client (cmi5 §8-§11): fetch the token, read LMS.LaunchData and
   the learner preferences, send initialized, completed and terminated, then return to the LMS.
   Practica's own code. */
(function () {
  "use strict";
  var params = new URLSearchParams(window.location.search);
  var endpoint = params.get("endpoint"), fetchUrl = params.get("fetch");
  var actor = JSON.parse(params.get("actor") || "null");
  var registration = params.get("registration"), activityId = params.get("activityId");
  var status = document.getElementById("status"), button = document.getElementById("done");
  var started = Date.now(), token = null, launchData = null;
  var CMI5 = { id: "https://w3id.org/xapi/cmi5/context/categories/cmi5" };
  var MOVEON = { id: "https://w3id.org/xapi/cmi5/context/categories/moveon" };

  function uuid() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    return "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".replace(/[xy]/g, function (c) {
      var r = Math.random() * 16 | 0; return (c === "x" ? r : (r & 0x3 | 0x8)).toString(16);
    });
  }
  function duration() { return "PT" + ((Date.now() - started) / 1000).toFixed(2) + "S"; }
  function xapi(method, path, body) {
    return fetch(endpoint + path, {
      method: method,
      headers: { "Authorization": "Basic " + token, "X-Experience-API-Version": "1.0.3",
                 "Content-Type": "application/json" },
      body: body ? JSON.stringify(body) : undefined
    }).then(function (r) { if (!r.ok) { throw new Error(method + " " + path + ": " + r.status); } return r; });
  }
  function statement(verb, result, defined) {
    var context = JSON.parse(JSON.stringify(launchData.contextTemplate));
    context.registration = registration;
    context.contextActivities = context.contextActivities || {};
    if (defined) {
      // cmi5 §9.6.2.2: a result with completion or success carries the moveOn category too.
      var movesOn = result && ("completion" in result || "success" in result);
      context.contextActivities.category = movesOn ? [CMI5, MOVEON] : [CMI5];
    }
    var s = { id: uuid(), actor: actor, verb: { id: "http://adlnet.gov/expapi/verbs/" + verb },
              object: { objectType: "Activity", id: activityId }, context: context,
              timestamp: new Date().toISOString() };
    if (result) { s.result = result; }
    return xapi("POST", "statements", s);
  }
  function fail(error) { status.textContent = "Could not reach the learning platform: " + error.message; }

  fetch(fetchUrl, { method: "POST" })
    .then(function (r) { return r.json(); })
    .then(function (answer) {
      if (!answer["auth-token"]) { throw new Error(answer["error-text"] || "no token"); }
      token = answer["auth-token"];
      var query = "activities/state?stateId=LMS.LaunchData&activityId=" + encodeURIComponent(activityId) +
        "&agent=" + encodeURIComponent(JSON.stringify(actor)) + "&registration=" + registration;
      return xapi("GET", query);
    })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      launchData = data;
      // cmi5 §11: the learner preferences are read on startup, before initialized.
      return xapi("GET", "agents/profile?profileId=cmi5LearnerPreferences&agent=" +
                  encodeURIComponent(JSON.stringify(actor)));
    })
    .then(function () { return statement("initialized", null, true); })
    .then(function () {
      status.textContent = launchData.launchMode === "Normal" ? "Ready." : "Ready (" + launchData.launchMode + " mode).";
      button.disabled = false;
    })
    .catch(fail);

  button.addEventListener("click", function () {
    button.disabled = true;
    var normal = launchData.launchMode === "Normal";
    var done = normal ? statement("completed", { completion: true, duration: duration() }, true) : Promise.resolve();
    done.then(function () { return statement("terminated", { duration: duration() }, true); })
      .then(function () {
        status.textContent = "Saved. Returning…";
        if (launchData.returnURL) { window.location.href = launchData.returnURL; }
      })
      .catch(fail);
  });
}());
