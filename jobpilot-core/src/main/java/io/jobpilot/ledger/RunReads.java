package io.jobpilot.ledger;

import com.fasterxml.jackson.core.type.TypeReference;
import io.jobpilot.ledger.Ledger.LedgerException;
import io.jobpilot.run.ErrorKind;
import io.jobpilot.run.Json;
import io.jobpilot.run.LedgerRun;
import io.jobpilot.run.Notification;
import io.jobpilot.run.Outcome;
import io.jobpilot.run.RunError;
import io.jobpilot.run.RunResult;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Runs as recorded, for `runs`, `show`, the API and resume: the run rows in one query, then their remote ids, events,
 * steps and latest notifications in one query each per {@link #BATCH} runs, instead of four queries per run.
 */
final class RunReads {
    /** Runs whose details one IN list asks for: well inside what H2 and PostgreSQL take as bind parameters. */
    static final int BATCH = 500;
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, Object>> OBJECT_MAP = new TypeReference<>() {
    };
    private static final TypeReference<List<String>> STRING_LIST = new TypeReference<>() {
    };
    private static final TypeReference<LedgerRun.StoredRequest> STORED_REQUEST = new TypeReference<>() {
    };

    private final LedgerConnections db;

    RunReads(LedgerConnections db) {
        this.db = db;
    }

    Optional<LedgerRun> find(String runId) {
        List<LedgerRun> runs = query("SELECT * FROM jp_run WHERE run_id = ?", 1, runId);
        return runs.isEmpty() ? Optional.empty() : Optional.of(runs.get(0));
    }

    /** Newest first; null filters match everything. */
    List<LedgerRun> list(String state, String workflow, int limit) {
        StringBuilder sql = new StringBuilder("SELECT * FROM jp_run WHERE 1=1");
        List<Object> args = new ArrayList<>();
        if (state != null) {
            sql.append(" AND state = ?");
            args.add(state.toUpperCase());
        }
        if (workflow != null) {
            sql.append(" AND workflow = ?");
            args.add(workflow);
        }
        sql.append(" ORDER BY created_at DESC");
        return query(sql.toString(), limit, args.toArray());
    }

    Optional<Notification> notification(String runId) {
        return db.withConnection(c -> NotifyOutbox.latest(c, runId));
    }

    private List<LedgerRun> query(String sql, int limit, Object... args) {
        return db.read("reading the run ledger", c -> {
            List<String> runIds = new ArrayList<>();
            List<Function<RunDetails, LedgerRun>> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                Sql.bind(ps, args);
                ps.setMaxRows(limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        runIds.add(rs.getString("run_id"));
                        rows.add(row(rs));
                    }
                }
            }
            List<LedgerRun> out = new ArrayList<>(rows.size());
            for (int from = 0; from < rows.size(); from += BATCH) {
                int to = Math.min(rows.size(), from + BATCH);
                RunDetails details = RunDetails.of(c, runIds.subList(from, to));
                rows.subList(from, to).forEach(row -> out.add(row.apply(details)));
            }
            return out;
        });
    }

    /** The run's own columns, read now; what other tables hold about it comes with {@link RunDetails}. */
    private static Function<RunDetails, LedgerRun> row(ResultSet rs) throws SQLException {
        String runId = rs.getString("run_id");
        String workflow = rs.getString("workflow");
        String state = rs.getString("state");
        String outcomeText = rs.getString("outcome");
        Outcome outcome = outcomeText == null ? null : Outcome.valueOf(outcomeText);
        String kind = rs.getString("error_kind");
        RunError error = kind == null ? null : new RunError(ErrorKind.valueOf(kind), rs.getString("error_step"),
                rs.getString("error_vendor_code"), rs.getString("error_message"));
        Instant created = Sql.instant(rs.getTimestamp("created_at"));
        Instant finished = Sql.instant(rs.getTimestamp("finished_at"));
        Instant updated = Sql.instant(rs.getTimestamp("updated_at"));
        Map<String, String> params = read(rs.getString("params_json"), STRING_MAP, Map.of());
        Map<String, Object> counts = read(rs.getString("progress_json"), OBJECT_MAP, Map.of());
        List<String> artifacts = read(rs.getString("artifacts_json"), STRING_LIST, List.of());
        List<String> warnings = read(rs.getString("warnings_json"), STRING_LIST, List.of());
        String outDir = rs.getString("out_dir");
        String origin = rs.getString("origin");
        LedgerRun.StoredRequest request = read(rs.getString("request_json"), STORED_REQUEST, null);
        return details -> {
            RunResult result = new RunResult(runId, workflow, outcome, state, details.remoteIds(runId), created, finished,
                    finished == null ? null : Duration.between(created, finished).toMillis(), counts, artifacts, error, warnings,
                    params, outDir, details.notification(runId), origin);
            return new LedgerRun(result, request, details.events(runId), details.steps(runId), details.stepRecords(runId),
                    created, updated);
        };
    }

    private static <T> T read(String json, TypeReference<T> type, T fallback) {
        if (json == null) {
            return fallback;
        }
        try {
            return Json.MAPPER.readValue(json, type);
        } catch (Exception e) {
            throw new LedgerException("ledger holds unreadable JSON: " + e.getMessage(), e);
        }
    }
}
