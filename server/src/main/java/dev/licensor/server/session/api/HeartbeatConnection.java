package dev.licensor.server.session.api;

import dev.licensor.protocol.ResponseSigning;
import dev.licensor.server.signing.ResponseSignatures;
import dev.licensor.server.web.BodyLimitFilter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Queue;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection of the {@link HeartbeatListener}, on its event loop: gathers each request's body
 * (up to the body limit), hands the request to the listener, and writes the signed answers in the
 * order the requests came, one request at a time (a pipelining client waits its turn). Answers are
 * written as bytes, without Netty's response encoder: a heartbeat's answer is one small buffer.
 */
final class HeartbeatConnection extends ChannelInboundHandlerAdapter {
    /** What Spring Security writes on every answer of the main port's client API. */
    private static final byte[] SECURITY_HEADERS = ("X-Content-Type-Options: nosniff\r\n"
                    + "X-XSS-Protection: 0\r\n"
                    + "Cache-Control: no-cache, no-store, max-age=0, must-revalidate\r\n"
                    + "Pragma: no-cache\r\n"
                    + "Expires: 0\r\n"
                    + "X-Frame-Options: DENY\r\n")
            .getBytes(StandardCharsets.US_ASCII);

    /** Requests a client may send ahead of their answers before the connection is closed. */
    private static final int MAX_PIPELINED = 64;

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BAD_REQUEST =
            "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII);

    private static final Logger log = LoggerFactory.getLogger(HeartbeatConnection.class);

    private final HeartbeatListener listener;
    private final Queue<Read> waiting = new ArrayDeque<>();
    private boolean busy;
    /** The request being read, until its last content. */
    private @Nullable HttpRequest head;

    private @Nullable ByteArrayOutputStream body;
    private boolean tooLarge;
    /** The socket peer's address, the same for every request of the connection. */
    private @Nullable String peer;

    /** A request read in full (or refused for its size). */
    private record Read(HeartbeatListener.Call call, boolean keepAlive, boolean tooLarge) {}

    HeartbeatConnection(HeartbeatListener listener) {
        this.listener = listener;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        try {
            if (message instanceof HttpRequest request) {
                if (request.decoderResult().isFailure()) {
                    // Not HTTP (or headers over the decoder's limits): no request to answer.
                    ctx.writeAndFlush(Unpooled.wrappedBuffer(BAD_REQUEST)).addListener(ChannelFutureListener.CLOSE);
                    head = null;
                    return;
                }
                long length = HttpUtil.getContentLength(request, 0L);
                head = request;
                tooLarge = length > BodyLimitFilter.MAX_BODY;
                body = new ByteArrayOutputStream(tooLarge ? 0 : (int) length);
                if (!tooLarge && HttpUtil.is100ContinueExpected(request)) {
                    ctx.writeAndFlush(Unpooled.wrappedBuffer(CONTINUE));
                }
            }
            if (message instanceof HttpContent content && head != null && body != null) {
                ByteBuf bytes = content.content();
                if (!tooLarge) {
                    if (body.size() + bytes.readableBytes() > BodyLimitFilter.MAX_BODY) {
                        tooLarge = true;
                    } else {
                        bytes.readBytes(body, bytes.readableBytes());
                    }
                }
                if (content instanceof LastHttpContent) {
                    HttpRequest request = head;
                    Read read =
                            new Read(call(ctx, request, body.toByteArray()), HttpUtil.isKeepAlive(request), tooLarge);
                    head = null;
                    body = null;
                    enqueue(ctx, read);
                }
            }
        } catch (java.io.IOException e) {
            ctx.close();
        } finally {
            ReferenceCountUtil.release(message);
        }
    }

    private HeartbeatListener.Call call(ChannelHandlerContext ctx, HttpRequest request, byte[] body) {
        if (peer == null) {
            peer = ((InetSocketAddress) ctx.channel().remoteAddress())
                    .getAddress()
                    .getHostAddress();
        }
        String uri = request.uri();
        int question = uri.indexOf('?');
        HttpHeaders headers = request.headers();
        return new HeartbeatListener.Call(
                request.method().name(),
                question < 0 ? uri : uri.substring(0, question),
                question < 0 ? null : uri.substring(question + 1),
                headers::get,
                headers::getAll,
                body,
                peer);
    }

    private void enqueue(ChannelHandlerContext ctx, Read read) {
        if (busy) {
            if (waiting.size() >= MAX_PIPELINED) {
                ctx.close(); // a client that only sends and never reads
                return;
            }
            waiting.add(read);
            return;
        }
        busy = true;
        if (read.tooLarge()) {
            write(ctx, read, listener.tooLarge(read.call()));
            return;
        }
        listener.serve(read.call(), ctx.executor()).whenComplete((answer, e) -> {
            if (ctx.executor().inEventLoop()) {
                write(ctx, read, answer);
            } else {
                ctx.executor().execute(() -> write(ctx, read, answer));
            }
        });
    }

    /** Signs and writes an answer, then serves the next request of the connection, if any. */
    private void write(ChannelHandlerContext ctx, Read read, HeartbeatListener.Answer answer) {
        boolean close = !read.keepAlive() || read.tooLarge();
        ByteBuf out = ctx.alloc().buffer(640 + answer.body().length);
        out.writeCharSequence("HTTP/1.1 ", StandardCharsets.US_ASCII);
        out.writeCharSequence(HttpResponseStatus.valueOf(answer.status()).toString(), StandardCharsets.US_ASCII);
        out.writeBytes(CRLF);
        if (!read.tooLarge()) {
            // The main port refuses a body over the limit before Spring Security writes these.
            out.writeBytes(SECURITY_HEADERS);
        }
        for (int i = 0; i + 1 < answer.headers().size(); i += 2) {
            if (!answer.headers().get(i).equalsIgnoreCase("Connection")) {
                header(out, answer.headers().get(i), answer.headers().get(i + 1));
            }
        }
        header(out, "Content-Type", answer.contentType());
        header(out, "Content-Length", Integer.toString(answer.body().length));
        try {
            ResponseSignatures.Signed signed = listener.sign(read.call(), answer);
            header(out, "Date", signed.date());
            header(out, ResponseSigning.HEADER, signed.signature());
        } catch (RuntimeException e) {
            log.warn(
                    "could not sign the response to {} {}: {}",
                    read.call().method(),
                    read.call().path(),
                    e.toString());
        }
        if (close) {
            header(out, "Connection", "close");
        }
        out.writeBytes(CRLF).writeBytes(answer.body());
        if (close) {
            ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
            waiting.clear();
            return;
        }
        ctx.writeAndFlush(out);
        busy = false;
        Read next = waiting.poll();
        if (next != null) {
            enqueue(ctx, next);
        }
    }

    /** One header line; values come from the server (no line breaks), names are constants. */
    private static void header(ByteBuf out, String name, String value) {
        out.writeCharSequence(name, StandardCharsets.US_ASCII);
        out.writeByte(':').writeByte(' ');
        out.writeCharSequence(value, StandardCharsets.UTF_8);
        out.writeBytes(CRLF);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
