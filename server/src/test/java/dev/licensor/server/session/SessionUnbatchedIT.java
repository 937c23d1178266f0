package dev.licensor.server.session;

import org.springframework.test.context.TestPropertySource;

/**
 * The session rules again with one statement per heartbeat, the path used when
 * {@code licensor.sessions.heartbeat-batching=false} (and always on H2).
 */
@TestPropertySource(properties = "licensor.sessions.heartbeat-batching=false")
class SessionUnbatchedIT extends SessionIT {}
