// Read an .ics file with Mozilla's ical.js (the parser of Thunderbird) and print, as JSON,
// every VEVENT's occurrences (UTC ISO 8601, before UNTIL), duration and summary.
// Usage: node icaljs_expand.mjs DIR_WITH_NODE_MODULES FILE.ics UNTIL_ISO
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [dir, file, until] = process.argv.slice(2);
const entry = join(dir, "node_modules", "ical.js", "dist", "ical.js");
const ICAL = (await import(pathToFileURL(entry).href)).default;

const calendar = new ICAL.Component(ICAL.parse(readFileSync(file, "utf8")));
for (const zone of calendar.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(zone);
}
const end = ICAL.Time.fromJSDate(new Date(until), true);
const out = {};
for (const vevent of calendar.getAllSubcomponents("vevent")) {
  const event = new ICAL.Event(vevent);
  const show = (t) => (t.isDate ? t.toString() : t.toJSDate().toISOString());
  const starts = [];
  if (event.isRecurring()) {
    const it = event.iterator();
    for (let next = it.next(); next && next.compare(end) < 0; next = it.next()) {
      starts.push(show(next));
    }
  } else {
    starts.push(show(event.startDate));
  }
  out[event.uid] = {
    starts,
    minutes: event.duration.toSeconds() / 60,
    summary: event.summary,
    zone: event.startDate.zone ? event.startDate.zone.tzid : null,
  };
}
console.log(JSON.stringify(out));
