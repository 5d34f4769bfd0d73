// Runs the public 1Integrate client @vertigis/workflow-activities-1integrate (its own main.js, unchanged) against
// jobpilot's 1Integrate simulator, and prints which of its activities the simulator answers.
//   npm pack @vertigis/workflow-activities-1integrate && tar xzf vertigis-workflow-activities-1integrate-*.tgz
//   bin/jobpilot simulate --port 8089 &
//   node tools/real-clients/oneintegrate-vertigis.cjs package/main.js http://127.0.0.1:8089/1Integrate
const fs = require("fs");
const [mainJs, base] = process.argv.slice(2);
let pack;
global.define = (factory) => { pack = factory(); };       // the pack is an AMD module
eval(fs.readFileSync(mainJs, "utf8"));
(async () => {
  const exported = await pack.main();
  const get = (name) => exported[name];
  const rows = [];
  const check = async (name, inputs, ok) => {
    try {
      const out = await new (get(name))().execute(inputs);
      const good = ok(out);
      rows.push([name, good ? "answered" : "NOT answered", JSON.stringify(out).slice(0, 110)]);
    } catch (e) {
      rows.push([name, "NOT answered", String(e).slice(0, 110)]);
    }
  };
  const auth = await new (get("AuthenticateAppService"))().execute({ baseUrl: base, accessTokenURL: base + "/rest/token",
    username: "integrate", password: "integrate1" });
  if (!auth.service) console.error(auth);
  rows.push(["AuthenticateAppService", auth.service && auth.service.access_token ? "answered" : "NOT answered", "token received"]);
  const service = auth.service;
  const path = "RealClient/Session " + Date.now();
  await check("ManageResource", { service, folder: "sessions", path, resourceProperties: { name: "t", tasks: [] } },
    (o) => o.result.status >= 200 && o.result.status < 300);
  await check("GetResource", { service, folder: "sessions", path }, (o) => o.result && !o.result.message);
  await check("ControlSession", { service, path, action: "play" }, (o) => o.result.status >= 200 && o.result.status < 300);
  await check("QuerySession", { service, path: path + "/status" }, (o) => o.result && o.result.status);
  await check("GetSessions", { service }, (o) => o.result !== undefined);
  await check("ControlSession", { service, path, action: "pause" }, (o) => o.result.status >= 200 && o.result.status < 300);
  await check("RemoveResource", { service, folder: "sessions", path }, (o) => o.result.status >= 200 && o.result.status < 300);
  for (const name of ["GetRules", "GetDatastores", "GetActions", "GetActionMaps"]) {
    await check(name, { service }, (o) => o.result !== undefined);
  }
  console.log("| activity | simulator | what came back |\n|---|---|---|");
  for (const r of rows) console.log("| " + r.join(" | ") + " |");
})();
