/* The attendance flow's service worker (scope /a/): keeps the pages of a scan on the phone so that the form
   opens again without network, and sends the marks kept there when the network returns (Background Sync,
   where the browser has it). */
"use strict";
importScripts("attend-queue.js");
var CACHE = "trainer-attendance-1";

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

self.addEventListener("fetch", function (event) {
  var request = event.request, url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) { return; }
  if (url.pathname.indexOf("/a/") !== 0 && url.pathname.indexOf("/static/") !== 0) { return; }
  // The network first (a fresh form, a fresh pass), the copy kept on the phone when there is none.
  event.respondWith(fetch(request).then(function (response) {
    if (response.ok && response.type === "basic") {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { return cache.put(request, copy); });
    }
    return response;
  }, function () {
    return caches.match(request).then(function (kept) { return kept || Response.error(); });
  }));
});

self.addEventListener("sync", function (event) {
  if (event.tag !== "attendance-marks") { return; }
  event.waitUntil(self.attendQueue.send().then(function (answers) {
    if (!answers.length) { return; }
    var last = answers[answers.length - 1];
    return self.clients.matchAll({type: "window"}).then(function (pages) {
      pages.forEach(function (page) { page.postMessage({answer: last.text}); });
    });
  }));
});
