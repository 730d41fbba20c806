/* fanzine's search box: the form works without this script (it opens the archive); with it, the site's search
 * index is loaded on first use (focus or typing) and matching posts are listed under the box as you type. */
(function () {
  "use strict";
  var form = document.querySelector("form.search");
  if (!form) return;
  var input = form.querySelector("input[type=search]");
  var list = form.querySelector(".search-results");
  var status = form.querySelector(".search-status");
  var loading = null;

  function script(src) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = src;
      s.onload = resolve;
      s.onerror = function () { reject(new Error("could not load " + src)); };
      document.head.appendChild(s);
    });
  }

  // The index, loaded once: elasticlunr's (with its reader) or Fuse.js's list, as a script or as JSON.
  function load() {
    if (loading) return loading;
    var url = form.dataset.index, json = /\.json$/.test(url);
    var data = json
      ? fetch(url).then(function (r) { return r.json(); })
      : script(url).then(function () { return window.searchIndex; });
    var reader = form.dataset.reader ? script(form.dataset.reader) : Promise.resolve();
    loading = Promise.all([data, reader]).then(function (both) {
      var index = both[0];
      if (Array.isArray(index)) return { search: function (q) { return plain(index, q); } };
      var lunr = window.elasticlunr.Index.load(index);
      return {
        search: function (q) {
          var options = { bool: "AND", expand: true, fields: { title: { boost: 2 }, body: { boost: 1 } } };
          return lunr.search(q, options).map(function (r) { return { url: r.ref, title: (r.doc || {}).title }; });
        }
      };
    });
    return loading;
  }

  // Fuse.js's list searched plainly: documents holding every word of the query.
  function plain(items, query) {
    var words = query.toLowerCase().split(/\s+/).filter(Boolean);
    return items.filter(function (item) {
      var text = [item.title, item.description, item.body].join(" ").toLowerCase();
      return words.every(function (w) { return text.indexOf(w) >= 0; });
    }).map(function (item) { return { url: item.url, title: item.title }; });
  }

  function show(results, query) {
    list.textContent = "";
    results.slice(0, 10).forEach(function (r) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = r.url;
      a.textContent = r.title || r.url;
      li.appendChild(a);
      list.appendChild(li);
    });
    list.hidden = results.length === 0;
    status.textContent = query === "" ? "" : results.length === 0 ? "No posts found" :
      results.length === 1 ? "1 post found" : results.length + " posts found";
  }

  var timer = null;
  function run() {
    var query = input.value.trim();
    if (query === "") { show([], ""); return; }
    load().then(function (index) {
      if (input.value.trim() === query) show(index.search(query), query);
    }, function () { status.textContent = "Search is unavailable"; });
  }

  input.addEventListener("focus", function () { load().catch(function () {}); }, { once: true });
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 120); });
  input.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { input.value = ""; show([], ""); }
  });
  form.addEventListener("submit", function (e) {
    // With results, Enter opens the first; the archive stays the answer when the script finds nothing.
    var first = list.querySelector("a");
    if (first) { e.preventDefault(); window.location.href = first.href; }
  });
})();
