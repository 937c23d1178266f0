import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import dev.licensor.protocol.ResponseSigning;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Signature;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * A design experiment for docs/PERFORMANCE.md, not product code: heartbeats served by event loops
 * (one thread per core reads a request, queues it for the batch and later writes its answer), with
 * no thread hand-off per request. The Tomcat server hands every request from its poller to a
 * worker thread, and the worker sleeps while its batch is written; on this machine those sleeps
 * and wake-ups are most of the cost (docs/PERFORMANCE.md, "What the tail is made of").
 *
 * <p>It does what a heartbeat costs the database and the signature: the same batching (1 ms linger,
 * one statement per batch that updates the sessions, checks their licenses and inserts the
 * heartbeat-log rows, asynchronous commit) and an Ed25519 signature by AWS-LC over a canonical
 * string with the body's SHA-256. It leaves out what the real server adds per request: the API key
 * look-up (only the header's presence is checked), the license key's check characters and look-up
 * hash, Jackson and bean validation (the token is cut out of the body), the trust layer (address
 * block list, rate limits, request signatures), metrics, the answers for ended sessions, and any
 * HTTP beyond what wrk sends (no chunked bodies, no pipelining limits, no timeouts).
 *
 * <p>Run by {@code MODES="batched event-loop" bench/heartbeat.sh}, which starts it like a server:
 * {@code PORT}, {@code DATABASE_URL} (postgresql://user@host:port/db) from the environment, the
 * PostgreSQL driver, AWS-LC's provider and the protocol module on the class path. It answers {@code GET
 * /actuator/health}, {@code GET /api/version/latest} and {@code POST
 * /api/license/session/heartbeat}.
 */
public final class EventLoopHeartbeat {
    private static final String HEARTBEAT = "/api/license/session/heartbeat";
    /** How long a batch waits for more heartbeats after its first: {@code LINGER_MICROS}, default 1 000. */
    private static final long LINGER_NANOS =
            1_000L * Long.parseLong(System.getenv().getOrDefault("LINGER_MICROS", "1000"));
    private static final int MAX_BATCH = 1000;

    private static final String SQL =
            """
            WITH beat AS (
                UPDATE sessions s SET last_heartbeat = now(), live_until = now() + interval '2 hours'
                WHERE s.token = ANY(?::uuid[]) AND s.ended_at IS NULL AND s.live_until > now()
                  AND (SELECT l.status = 'ACTIVE' AND (l.valid_from IS NULL OR l.valid_from <= now())
                              AND (l.expires_at IS NULL OR l.expires_at > now())
                       FROM licenses l WHERE l.id = s.license_id)
                  AND (SELECT set_config('synchronous_commit', 'off', true)) IS NOT NULL
                RETURNING s.token, s.id, s.license_id, s.device_id, s.version
            ), logged AS (
                INSERT INTO heartbeat_log (at, license_id, session_id, device_id, ip, version)
                SELECT now(), license_id, id, device_id, '127.0.0.1', version FROM beat
            )
            SELECT token FROM beat""";

    private record Pending(UUID token, EventLoop loop, Client client) {}

    private static final ArrayBlockingQueue<Pending> QUEUE = new ArrayBlockingQueue<>(100_000);
    private static PrivateKey signingKey;
    private static Provider awsLc;

    public static void main(String[] args) throws Exception {
        awsLc = (Provider) Class.forName("com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider")
                .getField("INSTANCE")
                .get(null);
        signingKey = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate();
        URI db = URI.create(System.getenv("DATABASE_URL"));
        String jdbc = "jdbc:postgresql://" + db.getHost() + ":" + db.getPort() + db.getPath() + "?user="
                + db.getUserInfo();
        Connection connection = DriverManager.getConnection(jdbc);
        Thread batcher = new Thread(() -> writeBatches(connection), "heartbeat-batcher");
        batcher.start();

        int cores = Runtime.getRuntime().availableProcessors();
        EventLoop[] loops = new EventLoop[cores];
        for (int i = 0; i < cores; i++) {
            loops[i] = new EventLoop();
            new Thread(loops[i], "event-loop-" + i).start();
        }
        ServerSocketChannel server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress("127.0.0.1", Integer.parseInt(System.getenv("PORT"))), 1024);
        for (int next = 0; ; next++) {
            SocketChannel channel = server.accept();
            channel.configureBlocking(false);
            channel.socket().setTcpNoDelay(true);
            loops[next % cores].adopt(channel);
        }
    }

    /** The single writer: linger, take what is queued, one statement, hand the answers to the loops. */
    private static void writeBatches(Connection connection) {
        List<Pending> batch = new ArrayList<>(MAX_BATCH);
        try (PreparedStatement statement = connection.prepareStatement(SQL)) {
            while (true) {
                Pending first = QUEUE.take();
                long until = System.nanoTime() + LINGER_NANOS;
                for (long wait; (wait = until - System.nanoTime()) > 0; ) {
                    LockSupport.parkNanos(wait);
                }
                batch.add(first);
                QUEUE.drainTo(batch, MAX_BATCH - 1);
                UUID[] tokens = new UUID[batch.size()];
                for (int i = 0; i < tokens.length; i++) {
                    tokens[i] = batch.get(i).token();
                }
                statement.setArray(1, connection.createArrayOf("uuid", tokens));
                Set<UUID> applied = new HashSet<>();
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        applied.add(rows.getObject(1, UUID.class));
                    }
                }
                // One wake-up per loop and batch, not one per heartbeat.
                Map<EventLoop, List<Answer>> byLoop = new HashMap<>();
                for (Pending p : batch) {
                    byLoop.computeIfAbsent(p.loop(), loop -> new ArrayList<>())
                            .add(new Answer(p.client(), applied.contains(p.token())));
                }
                byLoop.forEach(EventLoop::answer);
                batch.clear();
            }
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1);
        }
    }

    private record Answer(Client client, boolean applied) {}

    private static final class Client {
        final SocketChannel channel;
        final ByteBuffer in = ByteBuffer.allocate(16 * 1024);

        Client(SocketChannel channel) {
            this.channel = channel;
        }
    }

    private static final class EventLoop implements Runnable {
        private final Selector selector;
        private final ConcurrentLinkedQueue<Object> tasks = new ConcurrentLinkedQueue<>();
        private final Signature signature;

        EventLoop() throws Exception {
            selector = Selector.open();
            signature = Signature.getInstance("Ed25519", awsLc);
            signature.initSign(signingKey);
        }

        void adopt(SocketChannel channel) {
            tasks.add(channel);
            selector.wakeup();
        }

        void answer(List<Answer> answers) {
            tasks.add(answers);
            selector.wakeup();
        }

        @Override
        public void run() {
            try {
                while (true) {
                    selector.select();
                    for (Object task; (task = tasks.poll()) != null; ) {
                        if (task instanceof SocketChannel channel) {
                            channel.register(selector, SelectionKey.OP_READ, new Client(channel));
                        } else if (task instanceof List<?> answers) {
                            for (Object each : answers) {
                                Answer a = (Answer) each;
                                if (a.applied()) {
                                    respond(a.client(), 200, HEARTBEAT, "{\"ok\":true,\"next_heartbeat_in\":30,"
                                            + "\"server_time\":\"" + Instant.now() + "\"}");
                                } else {
                                    respond(a.client(), 404, HEARTBEAT, "{\"error\":\"SESSION_NOT_FOUND\"}");
                                }
                            }
                        }
                    }
                    for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
                        SelectionKey key = it.next();
                        it.remove();
                        if (key.isValid() && key.isReadable()) {
                            Client client = (Client) key.attachment();
                            try {
                                read(client);
                            } catch (IOException | RuntimeException e) {
                                key.cancel();
                                client.channel.close();
                            }
                        }
                    }
                }
            } catch (IOException e) {
                e.printStackTrace();
                System.exit(1);
            }
        }

        /** Reads what arrived and handles every complete request in it. */
        private void read(Client client) throws IOException {
            if (client.channel.read(client.in) < 0) {
                throw new IOException("closed");
            }
            while (true) {
                byte[] bytes = client.in.array();
                int length = client.in.position();
                int headEnd = indexOf(bytes, length, "\r\n\r\n");
                if (headEnd < 0) {
                    return;
                }
                String head = new String(bytes, 0, headEnd, StandardCharsets.ISO_8859_1);
                int bodyLength = contentLength(head);
                int end = headEnd + 4 + bodyLength;
                if (length < end) {
                    return;
                }
                String body = new String(bytes, headEnd + 4, bodyLength, StandardCharsets.UTF_8);
                System.arraycopy(bytes, end, bytes, 0, length - end);
                client.in.position(length - end);
                handle(client, head, body);
            }
        }

        private void handle(Client client, String head, String body) {
            if (head.startsWith("GET /actuator/health ")) {
                respond(client, 200, null, "{\"status\":\"UP\"}");
            } else if (!head.toLowerCase(Locale.ROOT).contains("\r\nx-api-key:")) {
                respond(client, 401, null, "{\"error\":\"INVALID_API_KEY\"}");
            } else if (head.startsWith("GET /api/version/latest ")) {
                respond(client, 200, "/api/version/latest", "{\"version\":\"1.0.0\",\"download_url\":null}");
            } else if (head.startsWith("POST /api/license/session/heartbeat ")) {
                int at = body.indexOf("\"session_token\":\"");
                UUID token;
                try {
                    token = UUID.fromString(body.substring(at + 17, at + 17 + 36));
                } catch (RuntimeException e) {
                    respond(client, 400, HEARTBEAT, "{\"error\":\"VALIDATION_FAILED\"}");
                    return;
                }
                if (!QUEUE.offer(new Pending(token, this, client))) {
                    respond(client, 503, HEARTBEAT, "{\"error\":\"BUSY\"}");
                }
            } else {
                respond(client, 404, null, "{\"error\":\"NOT_FOUND\"}");
            }
        }

        /**
         * Writes a JSON answer, signed as SPEC §5.3 has it (the protocol module's canonical string and
         * header, as the server signs) unless {@code path} is null. Requests here carry no nonce.
         */
        private void respond(Client client, int status, String path, String json) {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            String date = ResponseSigning.HTTP_DATE.format(Instant.now());
            StringBuilder head = new StringBuilder(256)
                    .append("HTTP/1.1 ").append(status).append(" \r\nContent-Type: application/json\r\nDate: ")
                    .append(date).append("\r\nContent-Length: ").append(body.length).append("\r\n");
            if (path != null) {
                String method = path.equals(HEARTBEAT) ? "POST" : "GET";
                String canonical = ResponseSigning.canonical(status, method, path, date, "", body);
                try {
                    signature.update(canonical.getBytes(StandardCharsets.UTF_8));
                    head.append(ResponseSigning.HEADER).append(": ")
                            .append(ResponseSigning.header("bench", signature.sign())).append("\r\n");
                } catch (java.security.SignatureException e) {
                    throw new IllegalStateException(e);
                }
            }
            byte[] headBytes = head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
            ByteBuffer out = ByteBuffer.allocate(headBytes.length + body.length).put(headBytes).put(body).flip();
            try {
                client.channel.write(out);
                if (out.hasRemaining()) {
                    throw new IOException("the socket took only part of the answer");
                }
            } catch (IOException e) {
                try {
                    client.channel.close();
                } catch (IOException ignored) {
                    // already gone
                }
            }
        }

        private static int contentLength(String head) {
            int at = head.toLowerCase(Locale.ROOT).indexOf("\r\ncontent-length:");
            if (at < 0) {
                return 0;
            }
            int end = head.indexOf('\r', at + 2);
            return Integer.parseInt(head.substring(at + 17, end < 0 ? head.length() : end).trim());
        }

        private static int indexOf(byte[] bytes, int length, String what) {
            outer:
            for (int i = 0; i + what.length() <= length; i++) {
                for (int j = 0; j < what.length(); j++) {
                    if (bytes[i + j] != what.charAt(j)) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }
    }
}
