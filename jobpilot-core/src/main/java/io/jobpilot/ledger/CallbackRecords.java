package io.jobpilot.ledger;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The callback tables (V4): which run each callback token belongs to (by the token's SHA-256 only), and one receipt per
 * distinct callback, so a callback the vendor sends again is recognised by any node, before and after a restart.
 */
public final class CallbackRecords {
    private final Ledger ledger;
    private final Clock clock;

    public CallbackRecords(Ledger ledger, Clock clock) {
        this.ledger = ledger;
        this.clock = clock;
    }

    /** Records the hash of a run's new token (before the token is sent anywhere). */
    public void token(String runId, String tokenHash) {
        ledger.update("INSERT INTO jp_callback_token (token_hash, run_id, created_at) VALUES (?,?,?)", tokenHash, runId,
                Sql.ts(clock.instant()));
    }

    /** The run a token (given by its hash) belongs to. */
    public Optional<String> runOf(String tokenHash) {
        return ledger.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT run_id FROM jp_callback_token WHERE token_hash = ?")) {
                ps.setString(1, tokenHash);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                }
            }
        });
    }

    /** Records a callback; false when the same one (token, objectId, runId, status) was recorded before. */
    public boolean firstReceipt(String tokenHash, String objectId, String remoteRunId, String status) {
        try {
            ledger.update("INSERT INTO jp_callback_receipt (token_hash, object_id, remote_run_id, status, received_at) VALUES (?,?,?,?,?)",
                    tokenHash, objectId, remoteRunId, status, Sql.ts(clock.instant()));
            return true;
        } catch (Ledger.LedgerException e) {
            if (e.isDuplicateKey()) {
                return false;
            }
            throw e;
        }
    }

    /** How many distinct callbacks for this run have been recorded (by any node). */
    public int receipts(String runId) {
        return ledger.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM jp_callback_receipt r JOIN jp_callback_token t "
                    + "ON r.token_hash = t.token_hash WHERE t.run_id = ?")) {
                ps.setString(1, runId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    /**
     * The receipts of every unfinished run {@code ownerToken} holds that has any, by run: one query, whatever the number
     * of runs, for a process to learn of callbacks that reached another node or process.
     */
    public Map<String, Integer> receiptsOfRunsHeldBy(String ownerToken) {
        return ledger.withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT t.run_id, COUNT(*) FROM jp_run j "
                    + "JOIN jp_callback_token t ON t.run_id = j.run_id JOIN jp_callback_receipt r ON r.token_hash = t.token_hash "
                    + "WHERE j.owner = ? AND j.outcome IS NULL GROUP BY t.run_id")) {
                ps.setString(1, ownerToken);
                Map<String, Integer> byRun = new HashMap<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        byRun.put(rs.getString(1), rs.getInt(2));
                    }
                }
                return byRun;
            }
        });
    }
}
