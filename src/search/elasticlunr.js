/* fanzine's reader of an elasticlunr search index (MIT OR Apache-2.0, written for fanzine).
 * The part of elasticlunr's browser API that Zola themes call: elasticlunr.Index.load(index),
 * index.search(query, {bool, expand, fields: {name: {boost, bool, expand}}}), index.documentStore.getDoc(ref),
 * elasticlunr.tokenizer and elasticlunr.stemmer (English, Porter's algorithm, as the index was built with).
 * A query word found nowhere in the index is left out, as elasticlunr leaves out stop words. */
(function (root) {
  "use strict";

  function tokenizer(text) {
    if (text === null || text === undefined) return [];
    if (Array.isArray(text)) return text.map(function (t) { return String(t).toLowerCase(); });
    return String(text).trim().toLowerCase().split(/[\s\-]+/).filter(function (t) { return t.length > 0; });
  }

  function trimmer(token) {
    return token.replace(/^\W+/, "").replace(/\W+$/, "");
  }

  // Porter's stemmer, from the 1980 paper's rules (with its later "bli" and "logi" rules).
  function isConsonant(w, i) {
    var c = w.charAt(i);
    if ("aeiou".indexOf(c) >= 0) return false;
    if (c === "y") return i === 0 ? true : !isConsonant(w, i - 1);
    return true;
  }
  function measure(s) {
    var m = 0, prevVowel = false;
    for (var i = 0; i < s.length; i++) {
      var vowel = !isConsonant(s, i);
      if (!vowel && prevVowel) m++;
      prevVowel = vowel;
    }
    return m;
  }
  function hasVowel(s) {
    for (var i = 0; i < s.length; i++) if (!isConsonant(s, i)) return true;
    return false;
  }
  function doubleConsonant(s) {
    var n = s.length;
    return n >= 2 && s.charAt(n - 1) === s.charAt(n - 2) && isConsonant(s, n - 1);
  }
  function cvc(s) {
    var n = s.length;
    if (n < 3) return false;
    if (!isConsonant(s, n - 3) || isConsonant(s, n - 2) || !isConsonant(s, n - 1)) return false;
    return "wxy".indexOf(s.charAt(n - 1)) < 0;
  }
  function ends(w, suffix) {
    return w.length > suffix.length && w.slice(-suffix.length) === suffix;
  }
  // Replaces the first suffix of `rules` that `w` ends with, if the stem before it passes `when`.
  function replaceSuffix(w, rules, when) {
    for (var i = 0; i < rules.length; i += 2) {
      if (ends(w, rules[i])) {
        var stem = w.slice(0, w.length - rules[i].length);
        return when(stem) ? stem + rules[i + 1] : w;
      }
    }
    return w;
  }
  var STEP2 = ["ational", "ate", "tional", "tion", "enci", "ence", "anci", "ance", "izer", "ize", "bli", "ble",
    "alli", "al", "entli", "ent", "eli", "e", "ousli", "ous", "ization", "ize", "ation", "ate", "ator", "ate",
    "alism", "al", "iveness", "ive", "fulness", "ful", "ousness", "ous", "aliti", "al", "iviti", "ive",
    "biliti", "ble", "logi", "log"];
  var STEP3 = ["icate", "ic", "ative", "", "alize", "al", "iciti", "ic", "ical", "ic", "ful", "", "ness", ""];
  var STEP4 = ["ement", "ment", "ance", "ence", "able", "ible", "ant", "ent", "ism", "ate", "iti", "ous", "ive",
    "ize", "ion", "al", "er", "ic", "ou"];
  function positive(stem) { return measure(stem) > 0; }

  function stemmer(word) {
    var w = String(word);
    if (w.length < 3) return w;
    var initialY = w.charAt(0) === "y";
    if (initialY) w = "Y" + w.slice(1);
    // Step 1a
    if (ends(w, "sses")) w = w.slice(0, -2);
    else if (ends(w, "ies")) w = w.slice(0, -2);
    else if (ends(w, "ss")) { /* stays */ }
    else if (ends(w, "s")) w = w.slice(0, -1);
    // Step 1b
    if (ends(w, "eed")) {
      if (measure(w.slice(0, -3)) > 0) w = w.slice(0, -1);
    } else {
      var cut = ends(w, "ed") ? 2 : ends(w, "ing") ? 3 : 0;
      if (cut && hasVowel(w.slice(0, -cut))) {
        w = w.slice(0, -cut);
        if (ends(w, "at") || ends(w, "bl") || ends(w, "iz")) w += "e";
        else if (doubleConsonant(w) && "lsz".indexOf(w.charAt(w.length - 1)) < 0) w = w.slice(0, -1);
        else if (measure(w) === 1 && cvc(w)) w += "e";
      }
    }
    // Step 1c, in its later form: a final y after a letter other than a vowel, with something before that.
    if (/^.+[^aeiou]y$/.test(w)) w = w.slice(0, -1) + "i";
    // Steps 2 and 3
    w = replaceSuffix(w, STEP2, positive);
    w = replaceSuffix(w, STEP3, positive);
    // Step 4: the longest ending decides; -ion only after s or t.
    var longest = "";
    for (var i = 0; i < STEP4.length; i++) {
      if (ends(w, STEP4[i]) && STEP4[i].length > longest.length) longest = STEP4[i];
    }
    if (longest) {
      var stem = w.slice(0, w.length - longest.length);
      var ok = measure(stem) > 1 && (longest !== "ion" || /[st]$/.test(stem));
      if (ok) w = stem;
    }
    // Step 5
    if (ends(w, "e")) {
      var before = w.slice(0, -1), m = measure(before);
      if (m > 1 || (m === 1 && !cvc(before))) w = before;
    }
    if (ends(w, "ll") && measure(w) > 1) w = w.slice(0, -1);
    if (initialY) w = "y" + w.slice(1);
    return w;
  }

  function Index(data) {
    this.fields = data.fields || [];
    this.ref = data.ref || "id";
    this.index = data.index || {};
    this.pipeline = data.pipeline || [];
    var store = data.documentStore || { docs: {}, docInfo: {}, length: 0 };
    this.documentStore = {
      docs: store.docs || {},
      docInfo: store.docInfo || {},
      length: store.length || 0,
      getDoc: function (ref) { return Object.prototype.hasOwnProperty.call(this.docs, ref) ? this.docs[ref] : null; },
      hasDoc: function (ref) { return Object.prototype.hasOwnProperty.call(this.docs, ref); },
      getFieldLength: function (ref, field) {
        var info = this.docInfo[ref];
        return info && info[field] ? info[field] : 0;
      }
    };
  }

  Index.load = function (data) {
    if (typeof data === "string") data = JSON.parse(data);
    return new Index(data);
  };

  Index.prototype.pipe = function (tokens) {
    var steps = this.pipeline, out = [];
    tokens.forEach(function (t) {
      if (steps.indexOf("trimmer") >= 0) t = trimmer(t);
      if (t && steps.indexOf("stemmer") >= 0) t = stemmer(t);
      if (t) out.push(t);
    });
    return out;
  };

  // The node of the inverted index of `field` for `token`, or null.
  Index.prototype.node = function (field, token) {
    var node = this.index[field] && this.index[field].root;
    for (var i = 0; node && i < token.length; i++) {
      var c = token.charAt(i);
      node = (c === "docs" || c === "df") ? null : node[c];
    }
    return node || null;
  };

  // Every token of `field` that starts with `token`, with its node: the token itself first.
  Index.prototype.expansions = function (field, token) {
    var found = [], start = this.node(field, token);
    (function walk(node, text) {
      if (node.df > 0) found.push([text, node]);
      Object.keys(node).sort().forEach(function (key) {
        if (key !== "docs" && key !== "df") walk(node[key], text + key);
      });
    })(start || { df: 0 }, token);
    return found;
  };

  // Scores of the documents that match `tokens` in one field: {ref: score}.
  Index.prototype.fieldScores = function (tokens, field, bool, expand) {
    var self = this, total = this.documentStore.length || 1, scores = {}, matched = {};
    tokens.forEach(function (token) {
      var matches = expand ? self.expansions(field, token) : [];
      if (!expand) {
        var node = self.node(field, token);
        if (node && node.df > 0) matches.push([token, node]);
      }
      var seen = {};
      matches.forEach(function (match) {
        var text = match[0], node = match[1];
        var idf = 1 + Math.log(total / (node.df + 1));
        var closeness = text === token ? 1 : token.length / text.length;
        Object.keys(node.docs).forEach(function (ref) {
          var length = self.documentStore.getFieldLength(ref, field) || 1;
          var score = node.docs[ref].tf * idf * closeness / Math.sqrt(length);
          scores[ref] = (scores[ref] || 0) + score;
          if (!seen[ref]) {
            seen[ref] = true;
            matched[ref] = (matched[ref] || 0) + 1;
          }
        });
      });
    });
    Object.keys(scores).forEach(function (ref) {
      if (bool === "AND" && matched[ref] < tokens.length) delete scores[ref];
      else scores[ref] *= matched[ref] / tokens.length;
    });
    return scores;
  };

  Index.prototype.search = function (query, config) {
    if (typeof config === "string") config = JSON.parse(config);
    config = config || {};
    var self = this;
    var fields = config.fields || {};
    if (Object.keys(fields).length === 0) self.fields.forEach(function (f) { fields[f] = { boost: 1 }; });
    // Words found in no field are stop words or absent: leaving them out keeps AND useful.
    var tokens = this.pipe(tokenizer(query)).filter(function (token) {
      return Object.keys(fields).some(function (f) {
        return config.expand || fields[f].expand ? self.expansions(f, token).length > 0 : !!self.node(f, token);
      });
    });
    if (tokens.length === 0) return [];
    var total = {};
    Object.keys(fields).forEach(function (field) {
      if (!self.index[field]) return;
      var options = fields[field] || {};
      var bool = options.bool || config.bool || "OR";
      var expand = options.expand !== undefined ? options.expand : !!config.expand;
      var boost = options.boost === undefined ? 1 : options.boost;
      var scores = self.fieldScores(tokens, field, bool, expand);
      Object.keys(scores).forEach(function (ref) { total[ref] = (total[ref] || 0) + scores[ref] * boost; });
    });
    return Object.keys(total)
      .map(function (ref) { return { ref: ref, score: total[ref], doc: self.documentStore.getDoc(ref) }; })
      .sort(function (a, b) { return b.score - a.score || (a.ref < b.ref ? -1 : 1); });
  };

  var elasticlunr = { Index: Index, tokenizer: tokenizer, trimmer: trimmer, stemmer: stemmer, version: "0.9.5" };
  root.elasticlunr = elasticlunr;
  if (typeof module === "object" && module.exports) module.exports = elasticlunr;
})(typeof window !== "undefined" ? window : this);
