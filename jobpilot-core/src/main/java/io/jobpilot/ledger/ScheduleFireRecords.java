package io.jobpilot.ledger;

import io.jobpilot.ledger.Ledger.LedgerException;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Serve mode's schedule fires (table jp_schedule_fire): each fire recorded once across nodes, and the unfinished run a
 * schedule already has. Who follows a run, leases and adoption: {@link RunOwnership}.
 */
final class ScheduleFireRecords {
    private final LedgerConnections db;

    ScheduleFireRecords(LedgerConnections db) {
        this.db = db;
    }

    Optional<String> unfinishedRunOf(String schedule) {
        return db.read("reading schedule state", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT run_id FROM jp_run WHERE schedule_name = ? AND outcome IS NULL ORDER BY created_at DESC")) {
                ps.setString(1, schedule);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }

    /** False when that fire was already recorded (by this or another node). */
    boolean record(String schedule, Instant fireTime, String decision, String runId, String detail) {
        try {
            db.update("INSERT INTO jp_schedule_fire (schedule_name, fire_time, decision, run_id, detail, recorded_at) VALUES (?,?,?,?,?,?)",
                    schedule, Sql.ts(fireTime), decision, runId, Sql.truncate(detail, 1000), Sql.ts(Instant.now()));
            return true;
        } catch (LedgerException e) {
            if (e.isDuplicateKey()) {
                return false;
            }
            throw e;
        }
    }

    List<ScheduleFire> of(String schedule) {
        return db.read("reading schedule fires", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT schedule_name, fire_time, decision, run_id, detail "
                    + "FROM jp_schedule_fire WHERE schedule_name = ? ORDER BY fire_time")) {
                ps.setString(1, schedule);
                List<ScheduleFire> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new ScheduleFire(rs.getString(1), Sql.instant(rs.getTimestamp(2)), rs.getString(3), rs.getString(4),
                                rs.getString(5)));
                    }
                }
                return out;
            }
        });
    }
}
