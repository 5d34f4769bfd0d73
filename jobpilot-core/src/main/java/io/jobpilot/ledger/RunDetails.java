package io.jobpilot.ledger;

import io.jobpilot.run.LedgerRun;
import io.jobpilot.run.Notification;
import io.jobpilot.run.StepRecord;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the ledger's other tables hold about a batch of runs (remote ids, events, steps done, the latest notification),
 * one query per table for the whole batch; each run's entries in the order one run's own query gave them.
 */
final class RunDetails {
    private final Map<String, Map<String, String>> remoteIds = new HashMap<>();
    private final Map<String, List<LedgerRun.Event>> events = new HashMap<>();
    private final Map<String, Map<String, StepRecord>> steps = new HashMap<>();
    private final Map<String, Notification> notifications;

    private RunDetails(Map<String, Notification> notifications) {
        this.notifications = notifications;
    }

    static RunDetails of(Connection c, List<String> runIds) throws SQLException {
        RunDetails d = new RunDetails(NotifyOutbox.latest(c, runIds));
        String in = " WHERE run_id IN (" + Sql.placeholders(runIds.size()) + ")";
        each(c, "SELECT run_id, id_name, id_value FROM jp_run_remote_id" + in + " ORDER BY recorded_at", runIds,
                rs -> d.remoteIds.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>()).put(rs.getString(2), rs.getString(3)));
        each(c, "SELECT run_id, at, state, detail FROM jp_run_event" + in + " ORDER BY id", runIds,
                rs -> d.events.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                        .add(new LedgerRun.Event(Sql.instant(rs.getTimestamp(2)), rs.getString(3), rs.getString(4))));
        each(c, "SELECT run_id, step, done_at, detail FROM jp_run_step" + in + " ORDER BY done_at", runIds,
                rs -> d.steps.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>())
                        .put(rs.getString(2), new StepRecord(Sql.instant(rs.getTimestamp(3)), rs.getString(4))));
        return d;
    }

    private interface Row {
        void read(ResultSet rs) throws SQLException;
    }

    private static void each(Connection c, String sql, List<String> runIds, Row row) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Sql.bind(ps, runIds.toArray());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    row.read(rs);
                }
            }
        }
    }

    Map<String, String> remoteIds(String runId) {
        return remoteIds.getOrDefault(runId, new LinkedHashMap<>());
    }

    List<LedgerRun.Event> events(String runId) {
        return events.getOrDefault(runId, new ArrayList<>());
    }

    List<String> steps(String runId) {
        return new ArrayList<>(stepRecords(runId).keySet());
    }

    Map<String, StepRecord> stepRecords(String runId) {
        return steps.getOrDefault(runId, new LinkedHashMap<>());
    }

    Notification notification(String runId) {
        return notifications.get(runId);
    }
}
