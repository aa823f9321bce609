// Shows the Hijri (Umm al-Qura) date of each date field as it is typed, spelled by
// the server as the acts write it. Without this script the form works the same; the
// draft shows both calendars before it is signed.
"use strict";
document.addEventListener("change", async (event) => {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || input.type !== "date") return;
  const out = document.getElementById(input.id + "-hijri");
  if (!out) return;
  if (!input.value) { out.textContent = ""; return; }
  const query = new URLSearchParams({ day: input.value, lang: out.dataset.lang || "ar" });
  try {
    const answer = await fetch("/api/calendar/hijri?" + query, { credentials: "same-origin" });
    out.textContent = answer.ok ? ((await answer.json()).spelled || "") : "";
  } catch (_) {
    out.textContent = "";
  }
});
