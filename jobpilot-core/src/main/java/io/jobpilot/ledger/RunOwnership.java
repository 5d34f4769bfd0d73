package io.jobpilot.ledger;

import io.jobpilot.run.ErrorKind;
import io.jobpilot.run.Outcome;
import io.jobpilot.run.RunHolder;
import io.jobpilot.run.RunHolders;
import io.jobpilot.run.RunOwner;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Who follows which run, in the ledger: one owner at a time, holding a lease it renews. Every change of owner is one
 * conditional UPDATE that names the owner it expects to replace, so of two processes taking one run exactly one wins.
 */
public final class RunOwnership implements RunHolders {
    private static final String HOLDER = "SELECT run_id, origin, outcome, owner, owner_node, owner_host, owner_pid, owner_started, "
            + "owner_pid_ns, owned_since, lease_until FROM jp_run";

    /** Outcomes a run can be resumed from (detached, timed out): it is unfinished again once taken. */
    private static final String RESUMABLE = java.util.Arrays.stream(Outcome.values()).filter(o -> !o.isFinal())
            .map(o -> "'" + o.name() + "'").collect(java.util.stream.Collectors.joining(", "));

    private final Ledger ledger;

    public RunOwnership(Ledger ledger) {
        this.ledger = ledger;
    }

    @Override
    public Optional<RunHolder> holder(String runId) {
        List<RunHolder> found = holders(HOLDER + " WHERE run_id = ?", 1, runId);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /**
     * A run that ended resumable (RUNNING: detached or --no-wait; TIMED_OUT; an uncertain start, which resume asks the
     * vendor about again) is unfinished again once followed.
     */
    @Override
    public boolean take(RunHolder seen, RunOwner me, Instant leaseUntil, boolean onlyIfFree) {
        Instant now = Instant.now();
        List<Object> args = new ArrayList<>();
        args.add(me.token());
        args.add(me.node());
        args.add(me.host());
        args.add(me.pid());
        args.add(Sql.ts(me.processStarted()));
        args.add(me.pidNamespace());
        args.add(Sql.ts(now));
        args.add(Sql.ts(leaseUntil));
        args.add(seen.runId());
        StringBuilder sql = new StringBuilder("UPDATE jp_run SET owner = ?, owner_node = ?, owner_host = ?, owner_pid = ?, owner_started = ?, "
                + "owner_pid_ns = ?, owned_since = ?, lease_until = ?, outcome = NULL, finished_at = NULL WHERE run_id = ? "
                + "AND (outcome IS NULL OR outcome IN (" + RESUMABLE + ") OR error_kind = '" + ErrorKind.UNCERTAIN_START + "')");
        if (seen.owner() == null) {
            sql.append(" AND owner IS NULL");
        } else {
            sql.append(" AND owner = ?");
            args.add(seen.owner().token());
        }
        if (onlyIfFree) {
            sql.append(" AND (lease_until IS NULL OR lease_until < ?)");
            args.add(Sql.ts(now));
        }
        return ledger.update(sql.toString(), args.toArray()) == 1;
    }

    /**
     * One statement for all of {@code runIds}. Callers keep the list short ({@link io.jobpilot.run.RunLeases}): one
     * statement holds the locks of all its rows until it commits, and at 10,000 runs one UPDATE for all of them kept
     * other writers waiting past H2's lock timeout.
     */
    @Override
    public int renew(RunOwner me, List<String> runIds, Instant leaseUntil) {
        List<Object> args = new ArrayList<>(List.of(Sql.ts(leaseUntil), me.token()));
        args.addAll(runIds);
        return ledger.update("UPDATE jp_run SET lease_until = ? WHERE owner = ? AND outcome IS NULL AND run_id IN ("
                + String.join(",", java.util.Collections.nCopies(runIds.size(), "?")) + ")", args.toArray());
    }

    @Override
    public boolean renew(RunOwner me, String runId, Instant leaseUntil) {
        return ledger.update("UPDATE jp_run SET lease_until = ? WHERE run_id = ? AND owner = ? AND outcome IS NULL",
                Sql.ts(leaseUntil), runId, me.token()) == 1;
    }

    @Override
    public void release(RunOwner me) {
        ledger.update("UPDATE jp_run SET lease_until = NULL WHERE owner = ? AND outcome IS NULL", me.token());
    }

    /** Unfinished runs of the long-lived runtime (api, schedule) held by anyone but {@code me}: candidates for adoption. */
    public List<RunHolder> serveRunsNotHeldBy(RunOwner me, int limit) {
        return holders(HOLDER + " WHERE outcome IS NULL AND origin IN ('api', 'schedule') AND (owner IS NULL OR owner <> ?) "
                + "ORDER BY created_at", limit, me.token());
    }

    private List<RunHolder> holders(String sql, int limit, Object... args) {
        return ledger.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                Sql.bind(ps, args);
                ps.setMaxRows(limit);
                List<RunHolder> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(holder(rs));
                    }
                }
                return out;
            }
        });
    }

    private static RunHolder holder(ResultSet rs) throws SQLException {
        long pid = rs.getLong("owner_pid");
        Long ownerPid = rs.wasNull() ? null : pid;
        RunOwner owner = RunOwner.of(rs.getString("owner"), rs.getString("owner_node"), rs.getString("owner_host"), ownerPid,
                Sql.instant(rs.getTimestamp("owner_started")), rs.getString("owner_pid_ns"));
        return new RunHolder(rs.getString("run_id"), rs.getString("origin"), rs.getString("outcome"), owner,
                Sql.instant(rs.getTimestamp("owned_since")), Sql.instant(rs.getTimestamp("lease_until")));
    }
}
