package dev.twinflow.terminals;

import dev.twinflow.settings.TwinflowProperties;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/** Who is connected to this instance, and the presence records in Redis that tell every instance's API. */
@Component
class Presence {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Presence.class);

    private final TerminalCache cache;
    private final PendingCommands commands;
    private final String node;
    private final Map<String, Session> byConnection = new ConcurrentHashMap<>();
    private final Map<String, Session> byTerminal = new ConcurrentHashMap<>();

    Presence(TerminalCache cache, PendingCommands commands, TwinflowProperties twinflow) {
        this.cache = cache;
        this.commands = commands;
        this.node = twinflow.nodeName();
    }

    void opened(Session session) {
        byConnection.put(session.connectionKey, session);
    }

    /** The open connection with this key, or null. */
    Session connection(String key) {
        return byConnection.get(key);
    }

    /** Every open connection, authenticated or not. */
    Collection<Session> connections() {
        return byConnection.values();
    }

    /** Stops tracking a connection; returns it, or null if it was not tracked (any more). */
    Session forget(String connectionKey) {
        return byConnection.remove(connectionKey);
    }

    /**
     * Makes an authenticated session its terminal's one and marks the terminal online; an older
     * connection of the same terminal is closed.
     */
    void claim(Session session, Instant now) {
        String id = session.terminalId();
        Session previous = byTerminal.put(id, session);
        if (previous != null && previous != session) {
            byConnection.remove(previous.connectionKey);
            previous.close(Session.REPLACED, "replaced by a newer connection of terminal '" + id + "'");
        }
        seen(session, now);
    }

    /** Renews the terminal's presence record (online, last seen now). */
    void seen(Session session, Instant now) {
        cache.presence(
                session.terminalId(),
                PresenceRecord.of(session, true, now, node).toJson());
    }

    /** A closed (or given-up) connection: its terminal goes offline, unless a newer one took over. */
    void closed(Session session) {
        if (session == null || session.terminalId() == null) {
            return;
        }
        String id = session.terminalId();
        if (byTerminal.remove(id, session)) {
            cache.presence(
                    id,
                    PresenceRecord.of(session, false, session.lastSeen(), node).toJson());
            commands.disconnected(id);
            LOG.debug("terminal {} offline", id);
        }
    }

    /** The terminal's session on this instance, or null. */
    Session session(String terminalId) {
        return byTerminal.get(terminalId);
    }

    /** Terminals connected to this instance and past their hello. */
    int onlineCount() {
        return byTerminal.size();
    }

    Collection<Session> online() {
        return byTerminal.values();
    }
}
