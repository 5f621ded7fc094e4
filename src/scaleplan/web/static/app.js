// scaleplan dashboard: poll background jobs, then reload; reload when the program changes.
(function () {
  "use strict";
  var opts = { credentials: "same-origin", headers: { Accept: "application/json" } };

  function pollJob(id, boxes) {
    fetch("/api/jobs/" + encodeURIComponent(id), opts)
      .then(function (r) { return r.json(); })
      .then(function (job) {
        boxes.forEach(function (box) {
          var bar = box.querySelector("progress");
          var msg = box.querySelector(".job-message");
          if (bar) { bar.value = Math.round((job.progress || 0) * 100); }
          if (msg) { msg.textContent = job.message || job.state; }
        });
        if (job.state === "done" || job.state === "failed" || job.error) {
          window.location.reload();
        } else {
          window.setTimeout(function () { pollJob(id, boxes); }, 400);
        }
      })
      .catch(function () { window.setTimeout(function () { pollJob(id, boxes); }, 2000); });
  }

  function watchVersion() {
    var shown = document.body.getAttribute("data-version");
    fetch("/api/program", opts)
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (info) {
        if (info && info.version && info.version !== shown) { window.location.reload(); }
      })
      .catch(function () { /* server restarting: try again later */ })
      .then(function () { window.setTimeout(watchVersion, 3000); });
  }

  var byJob = {};
  document.querySelectorAll(".pending[data-job]").forEach(function (box) {
    var id = box.getAttribute("data-job");
    if (id) { (byJob[id] = byJob[id] || []).push(box); }
  });
  Object.keys(byJob).forEach(function (id) { pollJob(id, byJob[id]); });
  window.setTimeout(watchVersion, 3000);
})();
