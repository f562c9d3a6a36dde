// PouchDB beside Waymark's sync, measured the way a PouchDB app would sync:
// a PouchDB server (express-pouchdb over LevelDB) in a process of its own,
// and a client PouchDB (LevelDB) on this machine replicating with it over
// loopback HTTP, with PouchDB's default replication settings.
//
//   node peer.js DOCS ROUNDS
//
// Each round: a client database holding DOCS note-like documents pushes them
// to a new server database (push), then a fresh client database pulls them
// all (pull). Prints {"push_per_s":[..], "pull_per_s":[..]} on stdout.
"use strict";
const { fork } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");
const PouchDB = require("pouchdb-node");

if (process.argv[2] === "--serve") {
  // The server process: every database under DIR, on a port the OS picks.
  const express = require("express");
  const app = express();
  const Server = PouchDB.defaults({ prefix: process.argv[3] + path.sep });
  app.use("/", require("express-pouchdb")(Server, { mode: "minimumForPouchDB", logPath: path.join(process.argv[3], "log.txt") }));
  const listener = app.listen(0, "127.0.0.1", () => process.send(listener.address().port));
  return;
}

const docs = Number(process.argv[2]);
const rounds = Number(process.argv[3] || 1);
if (!(docs > 0) || !(rounds > 0)) {
  console.error("usage: node peer.js DOCS ROUNDS (both positive numbers)");
  process.exit(2);
}

// A note as a caseworker writes it, about the size of Waymark's demo notes.
function note(i) {
  return {
    _id: `note-${String(i).padStart(8, "0")}`,
    type: "note",
    case_id: `case-${i % 40}`,
    author: "amina",
    contact_type: "phone",
    occurred_at: 1700000000000 + i * 60000,
    duration_minutes: 15,
    body: `Note ${i}: phoned at the safe time, talked through the housing letter and the court date; agreed to call back on Thursday.`,
  };
}

async function main() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "pouchdb-peer-"));
  const serverDir = path.join(work, "server");
  fs.mkdirSync(serverDir);
  const server = fork(__filename, ["--serve", serverDir], { stdio: ["ignore", "ignore", "inherit", "ipc"] });
  const port = await new Promise((resolve, reject) => {
    server.once("message", resolve);
    server.once("exit", (code) => reject(new Error(`the PouchDB server exited (${code})`)));
  });
  const out = { push_per_s: [], pull_per_s: [] };
  try {
    for (let r = 0; r < rounds; r++) {
      const local = new PouchDB(path.join(work, `writer${r}`));
      for (let i = 0; i < docs; i += 1000) {
        const batch = [];
        for (let j = i; j < Math.min(i + 1000, docs); j++) batch.push(note(j));
        await local.bulkDocs(batch);
      }
      const remote = `http://127.0.0.1:${port}/notes${r}`;
      let t = process.hrtime.bigint();
      const pushed = await local.replicate.to(remote);
      out.push_per_s.push(pushed.docs_written / (Number(process.hrtime.bigint() - t) / 1e9));
      const fresh = new PouchDB(path.join(work, `reader${r}`));
      t = process.hrtime.bigint();
      const pulled = await fresh.replicate.from(remote);
      out.pull_per_s.push(pulled.docs_written / (Number(process.hrtime.bigint() - t) / 1e9));
      const info = await fresh.info();
      if (pushed.docs_written !== docs || pulled.docs_written !== docs || info.doc_count !== docs) {
        throw new Error(`round ${r}: pushed ${pushed.docs_written}, pulled ${pulled.docs_written}, holds ${info.doc_count} of ${docs}`);
      }
      await local.close();
      await fresh.close();
    }
  } finally {
    server.kill();
    fs.rmSync(work, { recursive: true, force: true });
  }
  console.log(JSON.stringify(out));
}

main().catch((e) => {
  console.error(`PouchDB peer: ${e.stack || e}`);
  process.exit(1);
});
