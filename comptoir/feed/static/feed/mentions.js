/* @mention suggestions in the post and comment forms.
 *
 * Every textarea marked `data-mentions` proposes people while "@" and letters are typed: the list
 * comes from the feed's mention endpoint (the directory, with its visibility rules); arrows, Enter or
 * Tab and Escape work from the keyboard, a tap picks on a phone. Picking writes "@handle ", the form
 * the server reads mentions from. The page's own script tag carries the endpoint and the labels, so
 * the file works under a Content-Security-Policy that forbids inline scripts.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var source = script && script.getAttribute("data-source");
  if (!source) {
    return;
  }
  var noMatch = script.getAttribute("data-no-match") || "";
  var listLabel = script.getAttribute("data-label") || "";
  // "@" at the start or after a space or an opening bracket, then up to 60 letters of a name.
  var TRIGGER = /(?:^|[\s(\[>])@([\p{L}\p{N}._-]{1,60})$/u;
  var DELAY_MS = 120;
  var boxes = 0;

  function attach(textarea) {
    boxes += 1;
    var listId = "mention-list-" + boxes;
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "mention-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", listLabel);
    list.hidden = true;
    // After the textarea, or after the label that wraps it (a list has no place inside a label).
    var anchor = textarea.closest("label") || textarea;
    anchor.insertAdjacentElement("afterend", list);
    anchor.parentElement.classList.add("mention-box");
    textarea.setAttribute("aria-autocomplete", "list");
    textarea.setAttribute("aria-controls", listId);
    textarea.setAttribute("aria-expanded", "false");

    var people = [];
    var active = -1;
    var token = null;
    var timer = null;
    var pending = null;
    var asked = 0;

    function close() {
      list.hidden = true;
      list.replaceChildren();
      people = [];
      active = -1;
      textarea.setAttribute("aria-expanded", "false");
      textarea.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      var items = list.querySelectorAll("[role=option]");
      active = index;
      items.forEach(function (item, position) {
        item.setAttribute("aria-selected", position === index ? "true" : "false");
      });
      if (index >= 0 && items[index]) {
        textarea.setAttribute("aria-activedescendant", items[index].id);
        items[index].scrollIntoView({ block: "nearest" });
      } else {
        textarea.removeAttribute("aria-activedescendant");
      }
    }

    function avatar(person) {
      if (person.photo_url) {
        var img = document.createElement("img");
        img.src = person.photo_url;
        img.alt = "";
        img.className = "avatar";
        return img;
      }
      var initials = document.createElement("span");
      initials.className = "avatar";
      initials.setAttribute("aria-hidden", "true");
      initials.textContent = person.initials;
      return initials;
    }

    function show(found) {
      people = found;
      list.replaceChildren();
      if (!found.length) {
        var empty = document.createElement("li");
        empty.className = "muted";
        empty.textContent = noMatch;
        list.appendChild(empty);
      }
      found.forEach(function (person, index) {
        var item = document.createElement("li");
        item.id = listId + "-" + index;
        item.setAttribute("role", "option");
        item.setAttribute("data-handle", person.handle);
        var text = document.createElement("span");
        var name = document.createElement("strong");
        name.textContent = person.name;
        var detail = document.createElement("small");
        detail.textContent = (person.team ? person.team + " · " : "") + "@" + person.handle;
        text.append(name, detail);
        item.append(avatar(person), text);
        // Keep the focus (and the caret) in the textarea while a mouse picks.
        item.addEventListener("mousedown", function (event) {
          event.preventDefault();
        });
        item.addEventListener("click", function () {
          pick(index);
        });
        list.appendChild(item);
      });
      list.hidden = false;
      textarea.setAttribute("aria-expanded", "true");
      highlight(found.length ? 0 : -1);
    }

    function pick(index) {
      var person = people[index];
      if (!person || !token) {
        return;
      }
      var value = textarea.value;
      var inserted = "@" + person.handle + " ";
      textarea.value = value.slice(0, token.start) + inserted + value.slice(token.end);
      var caret = token.start + inserted.length;
      textarea.focus();
      textarea.setSelectionRange(caret, caret);
      token = null;
      close();
    }

    function lookUp() {
      var caret = textarea.selectionStart;
      if (caret !== textarea.selectionEnd) {
        close();
        return;
      }
      var match = TRIGGER.exec(textarea.value.slice(0, caret));
      if (!match) {
        token = null;
        close();
        return;
      }
      token = { start: caret - match[1].length - 1, end: caret };
      var query = match[1];
      clearTimeout(timer);
      timer = setTimeout(function () {
        if (pending) {
          pending.abort();
        }
        pending = new AbortController();
        asked += 1;
        var ticket = asked;
        fetch(source + "?q=" + encodeURIComponent(query), {
          headers: { Accept: "application/json" },
          credentials: "same-origin",
          signal: pending.signal,
        })
          .then(function (response) {
            return response.ok ? response.json() : { results: [] };
          })
          .then(function (data) {
            // Only the answer to the latest question counts: typing goes faster than the network.
            if (ticket === asked && token) {
              show(data.results || []);
            }
          })
          .catch(function () {});
      }, DELAY_MS);
    }

    textarea.addEventListener("input", lookUp);
    textarea.addEventListener("click", lookUp);
    textarea.addEventListener("keydown", function (event) {
      if (list.hidden) {
        return;
      }
      if (event.key === "ArrowDown" && people.length) {
        event.preventDefault();
        highlight((active + 1) % people.length);
      } else if (event.key === "ArrowUp" && people.length) {
        event.preventDefault();
        highlight((active - 1 + people.length) % people.length);
      } else if ((event.key === "Enter" || event.key === "Tab") && active >= 0) {
        event.preventDefault();
        pick(active);
      } else if (event.key === "Escape") {
        event.preventDefault();
        token = null;
        close();
      }
    });
    textarea.addEventListener("blur", function () {
      // A tap on a suggestion blurs the textarea first: give its click the time to land.
      setTimeout(function () {
        if (document.activeElement !== textarea) {
          close();
        }
      }, 250);
    });
  }

  function start() {
    document.querySelectorAll("textarea[data-mentions]").forEach(attach);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
