// fanzine serve: live reload. The preview server injects this into HTML pages; a built site never contains it.
// One event stream per page. Each "state" event says which build the server now shows and whether the last build
// failed: a newer build reloads the page (keeping the scroll position), a stylesheet-only change swaps the CSS in
// place, and a failure shows an overlay over the last good page until the next good build.
(function () {
  var script = document.currentScript;
  var version = Number(script.dataset.version);
  var key = "fanzine-scroll:" + location.pathname;
  var saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    var y = Number(saved);
    window.scrollTo(0, y);
    window.addEventListener("load", function () { window.scrollTo(0, y); });
  }

  function reload() {
    sessionStorage.setItem(key, String(window.scrollY));
    location.reload();
  }

  function swapStylesheets(v) {
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
      var url = new URL(link.href, location.href);
      url.searchParams.set("fanzine", String(v));
      link.href = url.toString();
    });
  }

  function where(location) {
    if (!location) return "";
    var text = location.file;
    if (location.line) text += ":" + location.line;
    if (location.line && location.column) text += ":" + location.column;
    return text;
  }

  // Built with textContent only: a message quoting the author's HTML is shown, never interpreted.
  function overlay(errors) {
    var old = document.getElementById("__fanzine-overlay");
    if (old) old.remove();
    if (!errors.length) return;
    var box = document.createElement("div");
    box.id = "__fanzine-overlay";
    box.setAttribute("role", "alert");
    box.style.cssText = script.dataset.style;
    var title = document.createElement("strong");
    title.textContent = "Build failed: showing the last good build";
    box.appendChild(title);
    var list = document.createElement("ul");
    errors.forEach(function (e) {
      var item = document.createElement("li");
      var at = document.createElement("code");
      at.textContent = where(e.location);
      item.appendChild(at);
      item.appendChild(document.createTextNode(" " + e.message));
      if (e.hint) {
        var hint = document.createElement("div");
        hint.textContent = "help: " + e.hint;
        item.appendChild(hint);
      }
      list.appendChild(item);
    });
    box.appendChild(list);
    document.body.appendChild(box);
  }

  var source = new EventSource(script.dataset.events);
  // Exposed so that tests (and curious authors) can see whether the page is listening: readyState 1 is open.
  window.__fanzineEvents = source;
  source.addEventListener("state", function (message) {
    var state = JSON.parse(message.data);
    overlay(state.errors);
    if (state.version === version) return;
    if (state.css_only && state.from === version) {
      swapStylesheets(state.version);
      version = state.version;
      return;
    }
    reload();
  });
})();
