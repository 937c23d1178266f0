package dev.licensor.server.session.api;

import dev.licensor.protocol.ResponseSigning;
import dev.licensor.server.signing.ResponseSignatures;
import dev.licensor.server.web.BodyLimitFilter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection of the {@link HeartbeatListener}, on its event loop: gathers each request's body
 * (up to the body limit), hands the request to the listener, and writes the signed answers in the
 * order the requests came, one request at a time (a pipelining client waits its turn).
 */
final class HeartbeatConnection extends ChannelInboundHandlerAdapter {
    /** What Spring Security writes on every answer of the main port's client API. */
    private static final List<String> SECURITY_HEADERS = List.of(
            "X-Content-Type-Options", "nosniff",
            "X-XSS-Protection", "0",
            "Cache-Control", "no-cache, no-store, max-age=0, must-revalidate",
            "Pragma", "no-cache",
            "Expires", "0",
            "X-Frame-Options", "DENY");

    private static final Logger log = LoggerFactory.getLogger(HeartbeatConnection.class);

    private final HeartbeatListener listener;
    private final Queue<Read> waiting = new ArrayDeque<>();
    private boolean busy;
    /** The request being read, until its last content. */
    private @Nullable HttpRequest head;

    private @Nullable ByteArrayOutputStream body;
    private boolean tooLarge;

    /** A request read in full (or refused for its size). */
    private record Read(HeartbeatListener.Call call, boolean keepAlive, boolean tooLarge) {}

    HeartbeatConnection(HeartbeatListener listener) {
        this.listener = listener;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        try {
            if (message instanceof HttpRequest request) {
                head = request;
                body = new ByteArrayOutputStream(Math.max(
                        0, (int) Math.min(HttpUtil.getContentLength(request, 0L), BodyLimitFilter.MAX_BODY + 1L)));
                tooLarge = HttpUtil.getContentLength(request, 0L) > BodyLimitFilter.MAX_BODY
                        || request.decoderResult().isFailure();
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

    private static HeartbeatListener.Call call(ChannelHandlerContext ctx, HttpRequest request, byte[] body) {
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
                ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress().getHostAddress());
    }

    private void enqueue(ChannelHandlerContext ctx, Read read) {
        if (busy) {
            waiting.add(read);
            return;
        }
        busy = true;
        if (read.tooLarge()) {
            write(ctx, read, listener.tooLarge(read.call()));
            return;
        }
        listener.serve(read.call()).whenComplete((answer, e) -> {
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
        FullHttpResponse response = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(answer.status()),
                Unpooled.wrappedBuffer(answer.body()));
        HttpHeaders headers = response.headers();
        // The main port refuses a body over the limit before Spring Security's headers are written.
        for (int i = 0; !read.tooLarge() && i + 1 < SECURITY_HEADERS.size(); i += 2) {
            headers.set(SECURITY_HEADERS.get(i), SECURITY_HEADERS.get(i + 1));
        }
        for (int i = 0; i + 1 < answer.headers().size(); i += 2) {
            headers.set(answer.headers().get(i), answer.headers().get(i + 1));
        }
        headers.set(HttpHeaderNames.CONTENT_TYPE, answer.contentType());
        headers.setInt(HttpHeaderNames.CONTENT_LENGTH, answer.body().length);
        try {
            ResponseSignatures.Signed signed = listener.sign(read.call(), answer);
            headers.set(HttpHeaderNames.DATE, signed.date());
            headers.set(ResponseSigning.HEADER, signed.signature());
        } catch (RuntimeException e) {
            log.warn(
                    "could not sign the response to {} {}: {}",
                    read.call().method(),
                    read.call().path(),
                    e.toString());
        }
        if (close) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            waiting.clear();
            return;
        }
        ctx.writeAndFlush(response);
        busy = false;
        Read next = waiting.poll();
        if (next != null) {
            enqueue(ctx, next);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
