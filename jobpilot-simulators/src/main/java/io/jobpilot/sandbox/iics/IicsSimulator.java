package io.jobpilot.sandbox.iics;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpilot.sandbox.SimRequest;
import io.jobpilot.sandbox.VendorSimulator;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stateful Informatica IICS (shared/reference/vendor-apis.md §2-3) under {@code /iics}: v3 and v2 login on the
 * login host, the organisation's POD under {@code /iics/pod/saas} (the baseApiUrl/serverUrl it answers with),
 * sessions that expire after idle time, export jobs (status, objects, log, a real zip package), v2 jobs with
 * per-task runIds, the activity monitor (with other tasks' runs) and activity log, stop, callbacks to a job's
 * callbackURL, and error bodies of both API versions. This class routes each request to its API area
 * ({@link IicsSessions}, {@link IicsExports}, {@link IicsJobs}, {@link IicsActivity}) and is what tests script.
 */
public final class IicsSimulator implements VendorSimulator {
    public static final String USER = "jobpilot";
    public static final String PASSWORD = "iics-sandbox-1";
    public static final String ORG = "jobpilot-sandbox";
    /** The organisation's id, for the SSO login (jobpilot.iics.org-id). */
    public static final String ORG_ID = "010000";
    private static final String POD = "pod/saas/";
    private static final Pattern SESSION_LOG = Pattern.compile(POD + "api/v2/activity/activityLog/([^/]+)/sessionLog");
    private static final Pattern LOG_ENTRY = Pattern.compile(POD + "api/v2/activity/activityLog/([^/]+)");
    private static final Pattern ERROR_LOG = Pattern.compile(POD + "api/v2/activity/errorLog/([^/]+)");
    /** Taskflows run as an API live on the pod root, beside /saas: {@link IicsTaskflows}. */
    private static final String TASKFLOWS = "pod/active-bpel/";
    private static final Pattern IMPORT = Pattern.compile(POD + "public/core/v3/import/([^/]+)(/log)?");
    private static final Pattern EXPORT = Pattern.compile(POD + "public/core/v3/export/([^/]+)(/log|/package)?");

    private final IicsSessions sessions = new IicsSessions();
    private final IicsExports exports = new IicsExports(sessions);
    private final IicsJobs jobs = new IicsJobs();
    private final IicsActivity activity = new IicsActivity(jobs, sessions);
    private final IicsObjects objects = new IicsObjects();
    private final IicsTaskflows taskflows = new IicsTaskflows(sessions);
    private final IicsImports imports = new IicsImports();

    @Override
    public String root() {
        return "/iics";
    }

    @Override
    public String vendor() {
        return "IICS";
    }

    @Override
    public String describe(String baseUrl) {
        return "IICS        " + baseUrl + " (login host)  user " + USER + " / " + PASSWORD + ", SSO org " + ORG_ID + "  (tasks: "
                + String.join(", ", jobs.taskIds()) + ")";
    }

    // ---- scripting (tests, demo) ------------------------------------------------------------------------------------

    /** How the export job started with this name behaves. */
    public IicsSimulator scriptExport(String name, ExportScript script) {
        exports.script(name, script);
        return this;
    }

    /** An export job started outside jobpilot; returns its id. */
    public String existingExport(ExportScript script, String... objectIds) {
        return exports.existing(script, List.of(objectIds));
    }

    /** A task that jobs can start, by id, federated id or name; and by its path through the lookup. */
    public IicsSimulator task(TaskScript task) {
        jobs.task(task);
        objects.add(task.federatedId, task.path, task.type);
        return this;
    }

    /** An asset the lookup finds by path (Project/Folder/Name) and type: what an export can name with object-paths. */
    public IicsSimulator asset(String id, String path, String type) {
        objects.add(id, path, type);
        return this;
    }

    /** Every session stops working (as after 30 minutes idle). */
    public void expireSessions() {
        sessions.expireAll();
    }

    public IicsSimulator sessionIdleTimeout(Duration d) {
        sessions.idleTimeout(d);
        return this;
    }

    public int logins() {
        return sessions.logins();
    }

    /** A fresh JWT that the SSO login accepts once (as from an identity provider). */
    public static String newJwt() {
        return IicsSessions.newJwt();
    }

    /** How many SSO logins were refused because their token had been used before. */
    public int replayedJwts() {
        return sessions.replays();
    }

    public int callbacksSent() {
        return jobs.callbacksSent();
    }

    /** How many runs of this task were started. */
    public long runsOf(String taskId) {
        return jobs.runsOf(taskId);
    }

    /** A published taskflow that can be run as an API by its API name. */
    public IicsSimulator taskflow(TaskflowScript script) {
        taskflows.taskflow(script);
        return this;
    }

    /** How many runs of this taskflow were started. */
    public long taskflowRunsOf(String apiName) {
        return taskflows.runsOf(apiName);
    }

    /** The input fields each run of this taskflow was started with. */
    public List<JsonNode> taskflowInputs(String apiName) {
        return taskflows.inputsOf(apiName);
    }

    /** Resumes the suspended runs of this taskflow, as a user does in IICS Monitor; returns how many. */
    public int resumeTaskflows(String apiName) {
        return taskflows.resume(apiName);
    }

    /** How the import job started with this name behaves. */
    public IicsSimulator scriptImport(String name, ImportScript script) {
        imports.script(name, script);
        return this;
    }

    /** How many import jobs were started with this name. */
    public long importStartsOf(String name) {
        return imports.startsOf(name);
    }

    /** The importSpecification the last import job of this name was started with (null: none). */
    public JsonNode importSpecificationOf(String name) {
        return imports.specificationOf(name);
    }

    /** The zip the latest import package upload carried, as it arrived. */
    public byte[] lastImportPackage() {
        return imports.lastPackage();
    }

    // ---- the API ----------------------------------------------------------------------------------------------------

    @Override
    public void handle(SimRequest r) throws IOException {
        String path = r.path();
        if (path.equals("saas/public/core/v3/login") && r.method().equals("POST")) {
            sessions.login(r, false, podUrl(r));
            return;
        }
        if (path.equals("ma/api/v2/user/login") && r.method().equals("POST")) {
            sessions.login(r, true, podUrl(r));
            return;
        }
        if (path.equals("ma/api/v2/user/loginOAuth") && r.method().equals("POST")) {
            sessions.loginOAuth(r, podUrl(r));
            return;
        }
        if (path.startsWith(TASKFLOWS)) {
            taskflows.handle(r, path.substring(TASKFLOWS.length()));
            return;
        }
        boolean v2 = path.startsWith(POD + "api/v2/");
        if (!path.startsWith(POD)) {
            IicsAnswers.error(r, v2, 404, "NOT_FOUND", "No such resource: " + path);
            return;
        }
        if (!sessions.valid(r.header(v2 ? "icSessionId" : "INFA-SESSION-ID"))) {
            IicsAnswers.invalidSession(r, v2);
            return;
        }
        String api = path.substring(POD.length());
        Matcher export = EXPORT.matcher(path);
        Matcher importJob = IMPORT.matcher(path);
        if (api.equals("public/core/v3/lookup") && r.method().equals("POST")) {
            objects.lookup(r);
        } else if (api.equals("public/core/v3/import/package") && r.method().equals("POST")) {
            imports.upload(r);
        } else if (importJob.matches() && importJob.group(2) == null && r.method().equals("POST")) {
            imports.start(r, importJob.group(1));
        } else if (importJob.matches() && r.method().equals("GET")) {
            imports.get(r, importJob.group(1), importJob.group(2) == null ? "" : importJob.group(2));
        } else if (api.equals("public/core/v3/export") && r.method().equals("POST")) {
            exports.start(r);
        } else if (export.matches() && r.method().equals("GET")) {
            exports.get(r, export.group(1), export.group(2) == null ? "" : export.group(2));
        } else if (api.equals("api/v2/job") && r.method().equals("POST")) {
            jobs.start(r);
        } else if (api.equals("api/v2/job/stop") && r.method().equals("POST")) {
            jobs.stop(r);
        } else if (api.equals("api/v2/activity/activityMonitor") && r.method().equals("GET")) {
            activity.monitor(r);
        } else if (api.equals("api/v2/activity/activityLog") && r.method().equals("GET")) {
            activity.log(r);
        } else if (SESSION_LOG.matcher(path).matches() && r.method().equals("GET")) {
            activity.sessionLog(r, group(SESSION_LOG, path));
        } else if (LOG_ENTRY.matcher(path).matches() && r.method().equals("GET")) {
            activity.logEntry(r, group(LOG_ENTRY, path));
        } else if (ERROR_LOG.matcher(path).matches() && r.method().equals("GET")) {
            activity.errorLog(r, group(ERROR_LOG, path));
        } else {
            IicsAnswers.error(r, v2, 404, "NOT_FOUND", "No such resource: " + r.method() + " " + path);
        }
    }

    private static String group(Pattern p, String path) {
        Matcher m = p.matcher(path);
        return m.matches() ? m.group(1) : null;
    }

    /** The POD's base URL on the host the login was sent to: what login answers as baseApiUrl / serverUrl. */
    private String podUrl(SimRequest r) {
        return "http://" + r.header("Host") + root() + "/" + POD.substring(0, POD.length() - 1);
    }
}
