/* Tchatche chat widget: talks to Rasa's socket.io channel, no framework.
 *
 * Security: bot and user texts are only ever put in the page with textContent / text nodes;
 * links are <a> elements built from http(s) URLs, never innerHTML. The page's CSP forbids inline
 * scripts as a second barrier.
 *
 * Conversation kept across reloads: the socket.io session id and the visible history are kept in
 * sessionStorage (this tab only, gone when the tab is closed: nothing stays on a shared computer).
 * The session id goes back in `session_request`, so Rasa continues the same conversation.
 *
 * Metadata of every message: customData.commune (the page's commune, so the resident is not asked
 * for it) and customData.elu_token when an élu opened the page with "#elu=<token>" (read once,
 * kept in sessionStorage, removed from the address bar) or when the page sets data-elu-token.
 *
 * Photo of a signalement: a bot message with the custom payload {"tchatche": "photo"} (alone, or
 * under "custom" as channels/webchat.py sends it) gets a "Joindre une photo" button. The chosen
 * file is checked here (image, 8 Mo), sent with fetch to POST /signalements/photos (same origin
 * as the page, or data-photo-url), and the returned token goes with the message "📷 Photo jointe"
 * in customData.photo. The button goes away as soon as the resident sends anything.
 */
(function () {
  "use strict";

  var root = document.getElementById("tchatche");
  if (!root) { return; }
  var commune = root.dataset.commune || "";
  var slug = root.dataset.slug || "site";
  var socketUrl = root.dataset.socketUrl || (location.protocol + "//" + location.hostname + ":5005");
  var maxLength = parseInt(root.dataset.maxLength || "1000", 10);
  var storageKey = "tchatche:conversation:" + slug;
  var eluKey = "tchatche:elu";
  var MAX_HISTORY = 200;
  var photoUrl = root.dataset.photoUrl || "/signalements/photos";
  var MAX_PHOTO = 8 * 1024 * 1024;
  var PHOTO_TYPES = ["image/jpeg", "image/png", "image/webp"];
  var PHOTO_SENT = "📷 Photo jointe";
  var PHOTO_ERRORS = {
    400: "Aucune photo reçue. Choisissez une photo, puis réessayez.",
    413: "La photo est trop lourde : 8 Mo au plus.",
    415: "Ce fichier n'est pas une photo.",
    429: "Trop de photos envoyées. Réessayez dans quelques minutes."
  };

  var opener = document.getElementById("tchatche-ouvrir");
  var panel = document.getElementById("tchatche-panneau");
  var closer = document.getElementById("tchatche-fermer");
  var log = document.getElementById("tchatche-journal");
  var form = document.getElementById("tchatche-form");
  var input = document.getElementById("tchatche-saisie");
  var errorBox = document.getElementById("tchatche-erreur");
  var status = document.getElementById("tchatche-etat");

  var URL_PATTERN = /https?:\/\/[^\s<>"]+/g;
  var MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
    "septembre", "octobre", "novembre", "décembre"];

  function storage() {
    try { return window.sessionStorage; } catch (e) { return null; }
  }

  function loadState() {
    var empty = { sessionId: null, messages: [], open: false };
    var store = storage();
    if (!store) { return empty; }
    try {
      var saved = JSON.parse(store.getItem(storageKey) || "null");
      if (saved && Array.isArray(saved.messages)) { return saved; }
    } catch (e) { /* damaged storage: start again */ }
    return empty;
  }

  var state = loadState();

  function saveState() {
    var store = storage();
    if (!store) { return; }
    state.messages = state.messages.slice(-MAX_HISTORY);
    try { store.setItem(storageKey, JSON.stringify(state)); } catch (e) { /* quota: keep going */ }
  }

  function eluToken() {
    var match = location.hash.match(/(?:^#|&)elu=([^&]+)/);
    var store = storage();
    if (match) {
      if (store) { store.setItem(eluKey, decodeURIComponent(match[1])); }
      history.replaceState(null, "", location.pathname + location.search);
    }
    return root.dataset.eluToken || (store && store.getItem(eluKey)) || "";
  }
  var token = eluToken();

  /* ---------- rendering (text only, never HTML) ---------- */

  function safeUrl(raw) {
    try {
      var url = new URL(raw, location.href);
      return (url.protocol === "https:" || url.protocol === "http:") ? url.href : null;
    } catch (e) { return null; }
  }

  /* Appends `text` to `parent`, turning http(s) URLs into links (text set with textContent). */
  function appendLinkedText(parent, text, doc) {
    var docHref = doc ? safeUrl(doc.url) : null;
    var last = 0;
    text.replace(URL_PATTERN, function (match, offset) {
      var url = match.replace(/[.,;:!?)»]+$/, "");
      parent.appendChild(document.createTextNode(text.slice(last, offset)));
      var href = safeUrl(url);
      if (href) {
        var link = document.createElement("a");
        link.href = href;
        link.textContent = url;
        if (docHref && href === docHref) {
          link.className = "tchatche-document";
          link.textContent = documentLabel(doc);
        }
        parent.appendChild(link);
      } else {
        parent.appendChild(document.createTextNode(url));
      }
      last = offset + url.length;
      return match;
    });
    parent.appendChild(document.createTextNode(text.slice(last)));
  }

  function frenchDate(value) {
    var iso = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(value || ""));
    if (!iso) { return String(value || ""); }
    var day = parseInt(iso[3], 10);
    return (day === 1 ? "1er" : String(day)) + " " + MONTHS[parseInt(iso[2], 10) - 1] + " " + iso[1];
  }

  function fileType(value) {
    var type = String(value || "").toLowerCase();
    if (type.indexOf("/") >= 0) { type = type.split("/").pop(); }
    return type ? type.toUpperCase() : "";
  }

  function fileSize(value) {
    if (typeof value === "number" && isFinite(value)) {
      if (value < 1024) { return value + " octets"; }
      if (value < 1024 * 1024) { return Math.max(1, Math.round(value / 1024)) + " Ko"; }
      return (value / 1024 / 1024).toFixed(1).replace(".", ",") + " Mo";
    }
    return String(value || "");
  }

  /* "Compte rendu du conseil municipal du 12 mars 2026 (PDF, 84 Ko)" */
  function documentLabel(doc) {
    var title = String(doc.titre || "Document");
    var date = frenchDate(doc.date);
    if (date && title.indexOf(date) < 0) { title += ", " + date; }
    // `format` ("PDF") is the file type; `type` is either a file type too ("pdf",
    // "application/pdf") or the kind of document ("Compte rendu"), then not repeated here.
    var kind = String(doc.type || "");
    var format = doc.format ? String(doc.format).toUpperCase()
      : (/^[a-z0-9]{2,5}$/i.test(kind) || kind.indexOf("/") >= 0 ? fileType(kind) : "");
    var details = [format, fileSize(doc.taille)].filter(Boolean).join(", ");
    return details ? title + " (" + details + ")" : title;
  }

  function render(message) {
    var item = document.createElement("div");
    item.className = "tchatche-message " + (message.who === "vous" ? "tchatche-vous" : "tchatche-bot");
    var who = document.createElement("span");
    who.className = "visuellement-cache";
    who.textContent = message.who === "vous" ? "Vous : " : "L'assistant : ";
    item.appendChild(who);
    if (message.text) {
      message.text.split(/\n{2,}/).forEach(function (part) {
        var paragraph = document.createElement("p");
        appendLinkedText(paragraph, part, message.document);
        item.appendChild(paragraph);
      });
    }
    if (message.document && !item.querySelector("a.tchatche-document")) {
      var href = safeUrl(message.document.url);
      var line = document.createElement("p");
      var label = documentLabel(message.document);
      if (href) {
        var link = document.createElement("a");
        link.className = "tchatche-document";
        link.href = href;
        link.textContent = label;
        line.appendChild(link);
      } else {
        line.textContent = label;
      }
      item.appendChild(line);
    }
    if (message.photo) { choiceList(item).appendChild(photoControl()); }
    if (message.buttons && message.buttons.length) {
      var list = choiceList(item);
      message.buttons.forEach(function (button) {
        var li = document.createElement("li");
        var element = document.createElement("button");
        element.type = "button";
        element.textContent = button.title;
        element.addEventListener("click", function () {
          send(button.payload, button.title);
          input.focus();
        });
        li.appendChild(element);
        list.appendChild(li);
      });
    }
    log.appendChild(item);
    log.scrollTop = log.scrollHeight;
  }

  /* The list of choices of a message element, created on first use. */
  function choiceList(item) {
    var list = item.querySelector("ul.tchatche-choix");
    if (!list) {
      list = document.createElement("ul");
      list.className = "tchatche-choix";
      list.setAttribute("aria-label", "Choix proposés");
      item.appendChild(list);
    }
    return list;
  }

  function add(message) {
    if (message.who === "vous") { closePhotoOffers(); }
    state.messages.push(message);
    saveState();
    render(message);
  }

  /* Normalises what Rasa emits: {text}, {text, quick_replies}, {text, buttons},
   * {custom: {document: {...}}}, {attachment}. Unknown shapes are ignored, never shown as code. */
  function fromBot(data) {
    if (!data || typeof data !== "object") { return null; }
    var message = { who: "bot", text: typeof data.text === "string" ? data.text : "" };
    var buttons = data.quick_replies || data.buttons || [];
    message.buttons = (Array.isArray(buttons) ? buttons : []).filter(function (b) {
      return b && typeof b.title === "string" && b.payload !== undefined && b.payload !== null;
    }).map(function (b) { return { title: b.title, payload: String(b.payload) }; });
    var doc = data.custom && data.custom.document;
    if (doc && typeof doc === "object" && typeof doc.url === "string") {
      message.document = { url: doc.url, titre: doc.titre, date: doc.date, type: doc.type,
        format: doc.format, taille: doc.taille };
    }
    var custom = data.custom && typeof data.custom === "object" ? data.custom : {};
    message.photo = data.tchatche === "photo" || custom.tchatche === "photo";
    var attachment = data.attachment && data.attachment.payload;
    if (attachment && typeof attachment.src === "string" && !message.text) {
      message.text = attachment.src;
    }
    if (!message.text && !message.document && !message.buttons.length && !message.photo) {
      return null;
    }
    if (!message.photo) { delete message.photo; }
    return message;
  }

  /* The action server sends a document as a text fallback (with the link) and then
   * custom.document. Rather than a second message, the link already shown gets the document's
   * label as its text ("… (PDF, 84 Ko)"): a changed text is not re-announced by the live region. */
  function completeWithDocument(message) {
    var previous = state.messages[state.messages.length - 1];
    var element = log.lastElementChild;
    var href = safeUrl(message.document.url);
    if (!href || message.text || message.buttons.length || !previous || previous.who !== "bot" ||
        previous.document || !element) {
      return false;
    }
    var links = Array.prototype.filter.call(element.querySelectorAll("a"), function (a) {
      return a.href === href;
    });
    if (!links.length) { return false; }
    previous.document = message.document;
    saveState();
    links.forEach(function (a) {
      a.className = "tchatche-document";
      a.textContent = documentLabel(message.document);
    });
    return true;
  }

  function receive(data) {
    var message = fromBot(data);
    status.textContent = "";
    if (!message || (message.document && completeWithDocument(message)) ||
        (message.photo && completeWithPhoto(message))) {
      return;
    }
    add(message);
  }

  /* ---------- photo of a signalement ---------- */

  /* Rasa sends the question (text and "Pas de photo") and then {custom: {tchatche: "photo"}}:
   * the "Joindre une photo" button joins the question rather than making a message of its own. */
  function completeWithPhoto(message) {
    var previous = state.messages[state.messages.length - 1];
    var element = log.lastElementChild;
    var alone = !message.text && !message.buttons.length && !message.document;
    if (alone && previous && previous.who === "bot" && previous.photo) { return true; }
    closePhotoOffers();  // only the latest question offers a photo
    if (!alone || !previous || previous.who !== "bot" || !element) { return false; }
    previous.photo = true;
    saveState();
    var list = choiceList(element);
    list.insertBefore(photoControl(), list.firstChild);
    return true;
  }

  function closePhotoOffers() {
    state.messages.forEach(function (m) { delete m.photo; });
    Array.prototype.forEach.call(log.querySelectorAll(".tchatche-photo"), function (li) {
      var list = li.parentNode;
      list.removeChild(li);
      if (!list.children.length) { list.parentNode.removeChild(list); }
    });
  }

  /* A real button (keyboard, screen readers) that opens the hidden file input. */
  function photoControl() {
    var li = document.createElement("li");
    li.className = "tchatche-photo";
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = "Joindre une photo";
    var file = document.createElement("input");
    file.type = "file";
    file.accept = "image/*";
    file.hidden = true;
    file.tabIndex = -1;
    file.setAttribute("aria-label", "Photo du problème");
    button.addEventListener("click", function () {
      if (button.getAttribute("aria-disabled") === "true") { return; }
      file.value = "";
      file.click();
    });
    file.addEventListener("change", function () {
      if (file.files && file.files[0]) { uploadPhoto(file.files[0], button); }
    });
    li.appendChild(button);
    li.appendChild(file);
    return li;
  }

  function photoProblem(file) {
    var type = String(file.type || "").toLowerCase();
    if (!file.size || (type && type.indexOf("image/") !== 0)) { return PHOTO_ERRORS[415]; }
    if (type && PHOTO_TYPES.indexOf(type) < 0) {
      return "Ce format de photo n'est pas accepté : envoyez une photo JPEG, PNG ou WebP.";
    }
    if (file.size > MAX_PHOTO) { return PHOTO_ERRORS[413]; }
    return "";
  }

  function uploadPhoto(file, button) {
    var problem = photoProblem(file);
    if (problem) { showError(problem); return; }
    showError("");
    button.setAttribute("aria-disabled", "true");
    status.textContent = "Envoi de la photo en cours…";
    var body = new FormData();
    body.append("photo", file, "photo");  // the resident's file name stays on their device
    fetch(photoUrl, { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          if (response.ok && data && typeof data.photo === "string" && data.photo) {
            return data.photo;
          }
          throw { french: (data && typeof data.erreur === "string" && data.erreur) ||
            PHOTO_ERRORS[response.status] ||
            "La photo n'a pas pu être envoyée. Réessayez dans un instant." };
        });
      })
      .then(function (photoToken) {
        status.textContent = "";
        if (!button.isConnected) { return; }  // the resident answered meanwhile
        send(PHOTO_SENT, null, { photo: photoToken });
        input.focus();
      }, function (error) {
        status.textContent = "";
        showError((error && error.french) ||
          "La photo n'a pas pu être envoyée. Vérifiez votre connexion, puis réessayez.");
      })
      .then(function () { button.removeAttribute("aria-disabled"); });
  }

  /* ---------- socket.io ---------- */

  var socket = null;
  var confirmed = false;
  var queue = [];
  var waitTimer = null;

  function emit(text, extra) {
    var customData = { commune: commune };
    if (token) { customData.elu_token = token; }
    Object.keys(extra || {}).forEach(function (key) { customData[key] = extra[key]; });
    socket.emit("user_uttered", {
      message: text,
      session_id: state.sessionId,
      customData: customData,
      metadata: { customData: customData }
    });
    clearTimeout(waitTimer);
    waitTimer = setTimeout(function () {
      status.textContent = "L'assistant ne répond pas pour le moment. Réessayez dans un instant.";
    }, 30000);
  }

  function connect() {
    if (socket || typeof window.io !== "function") {
      if (typeof window.io !== "function") {
        status.textContent = "La discussion ne peut pas démarrer : rechargez la page.";
      }
      return;
    }
    status.textContent = "Connexion à l'assistant…";
    socket = window.io(socketUrl, { path: "/socket.io", transports: ["websocket"] });
    socket.on("connect", function () {
      confirmed = false;
      socket.emit("session_request", { session_id: state.sessionId });
    });
    socket.on("session_confirm", function (sessionId) {
      var id = typeof sessionId === "string" ? sessionId : (sessionId && sessionId.session_id);
      if (id) { state.sessionId = id; saveState(); }
      confirmed = true;
      if (status.textContent === "Connexion à l'assistant…") { status.textContent = ""; }
      while (queue.length) { var next = queue.shift(); emit(next.text, next.extra); }
    });
    socket.on("bot_uttered", function (data) {
      clearTimeout(waitTimer);
      receive(data);
    });
    socket.on("connect_error", function () {
      status.textContent = "L'assistant est injoignable pour le moment. Nouvel essai en cours…";
    });
    socket.on("disconnect", function () { confirmed = false; });
  }

  function showError(text) { errorBox.textContent = text; }

  /* `extra`: more customData for this message only (the photo token). */
  function send(text, label, extra) {
    if (!text || !text.trim()) {
      showError("Votre message est vide. Écrivez votre question, puis appuyez sur Entrée.");
      return false;
    }
    if (text.length > maxLength) {
      showError("Votre message est trop long (" + text.length + " caractères). " +
        "Raccourcissez-le à " + maxLength + " caractères au maximum.");
      return false;
    }
    showError("");
    add({ who: "vous", text: label || text });
    connect();
    if (confirmed) { emit(text, extra); } else { queue.push({ text: text, extra: extra }); }
    return true;
  }

  /* ---------- opening, closing, keyboard ---------- */

  function open(moveFocus) {
    panel.hidden = false;
    opener.setAttribute("aria-expanded", "true");
    opener.hidden = true;
    state.open = true;
    saveState();
    connect();
    if (moveFocus) { input.focus(); }
  }

  function close() {
    panel.hidden = true;
    opener.hidden = false;
    opener.setAttribute("aria-expanded", "false");
    state.open = false;
    saveState();
    opener.focus();
  }

  opener.addEventListener("click", function () { open(true); });
  closer.addEventListener("click", close);
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { event.preventDefault(); close(); }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (send(input.value)) { input.value = ""; }
    input.focus();
  });

  if (!state.messages.length) {
    state.messages.push({ who: "bot", text: "Bonjour ! Je réponds aux questions sur la mairie de " +
      commune + " : horaires, démarches, déchets, salle des fêtes… Posez votre question." });
  }
  state.messages.forEach(render);
  if (state.open) { open(false); }

  /* For tests and for sites that add their own messages: same path as socket messages. */
  window.tchatche = { receive: receive, send: send, documentLabel: documentLabel };
})();
