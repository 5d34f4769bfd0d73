package io.jobpilot.sandbox.iics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobpilot.sandbox.Json;
import io.jobpilot.sandbox.SimRequest;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.jobpilot.sandbox.iics.IicsAnswers.error;
import static io.jobpilot.sandbox.iics.IicsSimulator.ORG;
import static io.jobpilot.sandbox.iics.IicsSimulator.USER;

/**
 * v2 jobs: the tasks a job can start, start and stop with per-task runIds, each run moved along as it is observed,
 * and callbacks to a job's callbackURL the moment it ends.
 */
final class IicsJobs {
    private static final List<String> TASK_TYPES = List.of("DMASK", "DRS", "DSS", "MTT", "PCS", "WORKFLOW");

    private final Map<String, TaskScript> tasks = new ConcurrentHashMap<>();
    private final List<SimRun> runs = new CopyOnWriteArrayList<>();
    private final AtomicInteger callbacksSent = new AtomicInteger();
    private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "iics-sim-clock");
        t.setDaemon(true);
        return t;
    });
    private final HttpClient callbackClient = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    void task(TaskScript task) {
        tasks.put(task.taskId, task);
    }

    Iterable<String> taskIds() {
        return tasks.keySet();
    }

    /** Every run started, oldest first. */
    List<SimRun> runs() {
        return runs;
    }

    long runsOf(String taskId) {
        return runs.stream().filter(r -> r.task.taskId.equals(taskId)).count();
    }

    int callbacksSent() {
        return callbacksSent.get();
    }

    void start(SimRequest r) throws IOException {
        JsonNode body = IicsAnswers.parse(r.body());
        if (body == null) {
            error(r, true, 400, "APP_13400", "Malformed request body.");
            return;
        }
        TaskScript task = findTask(r, body);
        if (task == null) {
            return;
        }
        SimRun run;
        synchronized (task) {
            run = new SimRun(task, task.nextRunId++, body.path("callbackURL").asText(null));
        }
        run.parameterFile = parameterFile(body);
        runs.add(run);
        if (run.callbackUrl != null) {
            run.ticker = clock.scheduleAtFixedRate(() -> observe(run), 50, 50, TimeUnit.MILLISECONDS);
        }
        ObjectNode answer = Json.MAPPER.createObjectNode().put("@type", "job").put("taskId", task.taskId)
                .put("taskFederatedId", task.federatedId).put("taskName", task.name).put("taskType", task.type)
                .put("runId", run.runId).put("runInParallel", false);
        if (run.callbackUrl != null) {
            answer.put("callbackURL", run.callbackUrl);
        }
        r.json(200, Json.write(answer));
    }

    /** parameterFileName/-Dir beside the task (the documented form) or inside runtime (one client's form), said as given. */
    private static String parameterFile(JsonNode body) {
        for (JsonNode where : List.of(body, body.path("runtime"))) {
            if (where.hasNonNull("parameterFileName")) {
                return where.path("parameterFileDir").asText("") + "/" + where.get("parameterFileName").asText()
                        + (where == body ? " (given beside the task)" : " (given in runtime)");
            }
        }
        return null;
    }

    /** The task named by exactly one of taskId, taskFederatedId, taskName, with a valid taskType; else a v2 403. */
    private TaskScript findTask(SimRequest r, JsonNode body) throws IOException {
        String type = body.path("taskType").asText("");
        if (!TASK_TYPES.contains(type.toUpperCase(Locale.ROOT))) {
            error(r, true, 403, "APP_13401", "Wrong parameter value taskType");
            return null;
        }
        List<String> given = List.of("taskId", "taskFederatedId", "taskName").stream().filter(body::hasNonNull).toList();
        if (given.size() != 1) {
            error(r, true, 403, "APP_13401", "Wrong parameter value: exactly one of taskId, taskFederatedId, taskName is required");
            return null;
        }
        String value = body.get(given.get(0)).asText();
        TaskScript task = tasks.values().stream().filter(t -> switch (given.get(0)) {
            case "taskId" -> t.taskId.equals(value);
            case "taskFederatedId" -> t.federatedId.equals(value);
            default -> t.name.equals(value);
        }).findFirst().orElse(null);
        if (task == null || !task.type.equalsIgnoreCase(type)) {
            error(r, true, 403, "APP_13436", "No object named " + value + " of type " + type + " exists for organization " + ORG + ".");
            return null;
        }
        return task;
    }

    void stop(SimRequest r) throws IOException {
        JsonNode body = IicsAnswers.parse(r.body());
        TaskScript task = body == null ? null : findTask(r, body);
        if (task == null) {
            if (body == null) {
                error(r, true, 400, "APP_13400", "Malformed request body.");
            }
            return;
        }
        // a task that is not running (a second stop) is answered with success too, as real IICS did
        runs.stream().filter(x -> x.task == task && !x.phase().equals("ENDED")).forEach(x -> {
            synchronized (x) {
                x.stopped = true;
                x.stoppedThrough = "API";
            }
            ended(x);
        });
        r.json(200, "{\"@type\":\"success\",\"description\":\"The job was stopped by user " + USER + " using the API.\"}");
    }

    /** A run moves one step each time it is observed; the moment it ends, callbacks go out. */
    void observe(SimRun run) {
        boolean endedNow;
        synchronized (run) {
            if (run.phase().equals("ENDED")) {
                return;
            }
            run.observations++;
            endedNow = run.phase().equals("ENDED");
        }
        if (endedNow) {
            ended(run);
        }
    }

    private void ended(SimRun run) {
        synchronized (run) {
            if (run.ended != null) {
                return;
            }
            run.ended = Instant.now();
        }
        if (run.ticker != null) {
            run.ticker.cancel(false);
        }
        if (run.callbackUrl == null) {
            return;
        }
        String body = Json.write(Map.of("@type", "callbackUrlResponse", "endTime", run.ended.toString(), "objectId", run.task.taskId,
                "objectName", run.task.name, "runId", run.runId, "status", run.stopped || run.task.state == 3 ? "FAILED" : "COMPLETED"));
        for (int i = 0; i < run.task.callbackTimes; i++) {
            callbackClient.sendAsync(HttpRequest.newBuilder(URI.create(run.callbackUrl)).timeout(Duration.ofSeconds(30))
                            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.discarding()).thenRun(callbacksSent::incrementAndGet);
        }
    }
}
