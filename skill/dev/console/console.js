// Cramp Coach test console: talk to the skill through POST /api/say, hear the reply with
// the browser's speech synthesis (breaks and sounds honoured), and see the screen.
// No build step and no outside requests: everything comes from this server.
"use strict";

const $ = (id) => document.getElementById(id);
const state = { session: null, graphics: null, playback: 0, timers: [] };

// ------------------------------------------------------------------ talking to the skill
async function send(body) {
  const text = body.text ?? "";
  if (body.tap === undefined) addEntry("you", text || "(opens the skill)");
  else addEntry("you", `(taps ${body.label || body.tap})`);
  let reply;
  try {
    const response = await fetch("/api/say", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        text, tap: body.tap, locale: $("locale").value, session: state.session,
        screen: $("screen").value || null,
      }),
    });
    reply = await response.json();
    if (!response.ok) throw new Error(reply.error || `HTTP ${response.status}`);
  } catch (error) {
    addEntry("error", `Could not reach the skill: ${error.message}`);
    return;
  }
  state.session = reply.session;
  showReply(reply);
}

function showReply(reply) {
  const item = addEntry("skill", reply.speech || "(no speech)");
  const meta = document.createElement("span");
  meta.className = "meta";
  meta.textContent = describe(reply);
  item.appendChild(meta);
  showScreen(reply.screen);
  play(reply.ssml, reply.screen);
  if (reply.reminder) showReminder(reply.reminder);
  if (reply.end_session) addEntry("ended", "Session ended. Say something to start again.");
}

// A reminder the turn set or stopped (what Alexa would have been asked to do), and a
// button that plays it as Alexa would at its time, with the skill closed.
function showReminder(reminder) {
  if (reminder.status === "stopped") return addEntry("reminder", "Alexa reminder stopped.");
  const item = addEntry("reminder",
    `Alexa reminder: every night at ${reminder.at} (${reminder.zone}). "${reminder.text}"`);
  const button = document.createElement("button");
  button.type = "button";
  button.textContent = "Simulate it going off";
  button.addEventListener("click", () => {
    addEntry("reminder", `Alexa: Reminder. ${reminder.text}`);
    speak({ say: `Reminder. ${reminder.text}`, rate: 1, volume: 1 });
  });
  item.appendChild(button);
  return item;
}

function describe(reply) {
  const slots = Object.entries(reply.slots || {}).map(
    ([name, slot]) => `${name}=${slot.value}${slot.id ? ` (${slot.id})` : ""}`);
  return [reply.intent, ...slots].join(" · ");
}

function addEntry(kind, text) {
  const item = document.createElement("li");
  item.className = kind;
  item.textContent = text;
  $("log").appendChild(item);
  item.scrollIntoView({ block: "end" });
  return item;
}

// ------------------------------------------------------------------ the screen (APL data)
async function graphics() {
  if (!state.graphics) {
    try {
      state.graphics = (await (await fetch("/api/apl")).json()).graphics || {};
    } catch (error) {
      state.graphics = {};
    }
  }
  return state.graphics;
}

async function showScreen(screen) {
  const device = $("device");
  clearTimers();
  if (!screen) { device.hidden = true; return; }
  device.hidden = false;
  for (const [name, value] of Object.entries(screen.theme)) {
    device.style.setProperty(`--device-${name === "background" ? "bg" : name}`, value);
  }
  $("device-title").textContent = screen.title;
  $("device-text").textContent = screen.text;
  $("device-hint").textContent = screen.hint || "";
  const icon = $("device-icon");
  icon.replaceChildren();
  const drawing = screen.icon && (await graphics())[screen.icon];
  if (drawing) icon.appendChild(svgFor(drawing, screen.theme.dim));
  const buttons = $("device-buttons");
  buttons.replaceChildren();
  for (const button of screen.buttons) {
    const element = document.createElement("button");
    element.type = "button";
    element.textContent = button.label;
    element.addEventListener("click", () => send({ tap: button.id, label: button.label }));
    buttons.appendChild(element);
  }
  runCountdown(screen.holds || [], screen.labels);
}

function svgFor(avg, colour) {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", `0 0 ${avg.width} ${avg.height}`);
  for (const item of avg.items) {
    const path = document.createElementNS(ns, "path");
    path.setAttribute("d", item.pathData);
    path.setAttribute("fill", "none");
    path.setAttribute("stroke", colour);
    path.setAttribute("stroke-width", item.strokeWidth || 4);
    path.setAttribute("stroke-linecap", "round");
    path.setAttribute("stroke-linejoin", "round");
    svg.appendChild(path);
  }
  return svg;
}

// The device's countdown: wait for each hold's start, then count the seconds down.
function runCountdown(holds, labels) {
  const count = $("device-count");
  const show = (text, isNumber) => {
    count.textContent = text;
    count.classList.toggle("label", !isNumber);
  };
  count.hidden = holds.length === 0;
  show(labels.ready, false);
  let at = 0;
  for (const hold of holds) {
    at += hold.wait;
    for (let second = 0; second < hold.seconds; second += 1) {
      later(at + second * 1000, () => show(String(hold.seconds - second), true));
    }
    at += hold.seconds * 1000;
    later(at, () => show(labels.release, false));
  }
}

function later(ms, action) { state.timers.push(setTimeout(action, ms)); }
function clearTimers() { state.timers.forEach(clearTimeout); state.timers = []; }

// ------------------------------------------------------------------ speaking SSML
// The reply becomes a list of steps: words (with rate and volume), silences, sounds.
function stepsOf(ssml) {
  const steps = [];
  const xml = new DOMParser().parseFromString(
    ssml.replace("<speak>", '<speak xmlns:amazon="urn:amazon">'), "application/xml");
  const walk = (node, voice) => {
    for (const child of node.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) {
        const words = child.textContent.replace(/\s+/g, " ").trim();
        if (words) steps.push({ say: words, ...voice });
      } else if (child.nodeName === "break") {
        steps.push({ pause: parseInt(child.getAttribute("time"), 10) || 0 });
      } else if (child.nodeName === "say-as") {
        // Phone numbers, said digit by digit as Alexa will ("9 9 9", not "999").
        steps.push({ say: child.textContent.split("").join(" "), ...voice });
      } else if (child.nodeName === "audio") {
        steps.push({ sound: child.getAttribute("src") });
      } else if (child.nodeName === "prosody") {
        const rate = parseInt(child.getAttribute("rate") || "100", 10) / 100;
        const volume = { "x-soft": 0.4, soft: 0.6, loud: 1 }[child.getAttribute("volume")];
        walk(child, { ...voice, rate: rate || voice.rate, volume: volume ?? voice.volume });
      } else {
        const whisper = child.getAttribute && child.getAttribute("name") === "whispered";
        walk(child, whisper ? { ...voice, volume: 0.3 } : voice);
      }
    }
  };
  walk(xml.documentElement, { rate: 1, volume: 0.9 });
  return steps;
}

async function play(ssml, screen) {
  const run = ++state.playback;
  if (window.speechSynthesis) speechSynthesis.cancel();
  if (!$("speak").checked || !ssml) return;
  for (const step of stepsOf(ssml)) {
    if (run !== state.playback) return;
    if (step.say) await speak(step);
    else if (step.pause) await wait(step.pause);
    else if (step.sound) await sound(step.sound);
  }
}

function speak(step) {
  // Speech synthesis may be missing or silent (no voices): never wait longer than the
  // words would take, so the reply's timing still holds.
  const estimate = (step.say.split(" ").length / 2.5 / step.rate) * 1000 + 500;
  if (!window.speechSynthesis) return wait(estimate);
  return new Promise((done) => {
    const utterance = new SpeechSynthesisUtterance(step.say);
    utterance.lang = $("locale").value;
    utterance.rate = step.rate;
    utterance.volume = step.volume;
    const timer = setTimeout(done, estimate * 2);
    utterance.onend = utterance.onerror = () => { clearTimeout(timer); done(); };
    speechSynthesis.speak(utterance);
  });
}

function sound(url) {
  return new Promise((done) => {
    const audio = new Audio(url);
    audio.onended = audio.onerror = () => done();
    audio.play().catch(() => done());
  });
}

function wait(ms) { return new Promise((done) => setTimeout(done, ms)); }

// ------------------------------------------------------------------ voice input
function setUpMicrophone() {
  const Recognition = window.SpeechRecognition || window.webkitSpeechRecognition;
  const mic = $("mic");
  if (!Recognition) {
    mic.disabled = true;
    $("mic-note").hidden = false;
    return;
  }
  mic.addEventListener("click", () => {
    const recognition = new Recognition();
    recognition.lang = $("locale").value;
    recognition.interimResults = false;
    recognition.onresult = (event) => send({ text: event.results[0][0].transcript });
    recognition.onend = () => mic.classList.remove("listening");
    mic.classList.add("listening");
    if (window.speechSynthesis) speechSynthesis.cancel();
    recognition.start();
  });
}

// ------------------------------------------------------------------ page set-up
function newSession() {
  if (state.session) state.session = { ...state.session, session_id: null, attributes: {} };
  state.playback += 1;
  if (window.speechSynthesis) speechSynthesis.cancel();
  clearTimers();
  $("log").replaceChildren();
  $("device").hidden = true;
}

function setUp() {
  const hour = new Date().getHours();
  document.body.classList.toggle("night", hour >= 22 || hour < 7);
  $("composer").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = $("text").value.trim();
    $("text").value = "";
    send({ text });
  });
  $("new-session").addEventListener("click", newSession);
  // A session belongs to one device, and a device to one locale.
  $("locale").addEventListener("change", newSession);
  setUpMicrophone();
}

setUp();
