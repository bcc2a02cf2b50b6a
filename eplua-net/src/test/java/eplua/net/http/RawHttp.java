package eplua.net.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An HTTP/1.1 client over a plain socket, written here by hand: sends exactly the bytes a test gives it. */
public final class RawHttp implements AutoCloseable {
    public final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    /** A response as read off the wire. */
    public static final class Response {
        public final int status;
        public final String statusLine;
        public final Map<String, String> headers;
        public final String body;

        Response(String statusLine, Map<String, String> headers, String body) {
            this.statusLine = statusLine;
            this.status = Integer.parseInt(statusLine.split(" ")[1]);
            this.headers = headers;
            this.body = body;
        }

        @Override
        public String toString() {
            return statusLine + " " + headers + " " + body;
        }
    }

    public RawHttp(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(5_000);
        out = socket.getOutputStream();
        in = socket.getInputStream();
    }

    public RawHttp send(String s) throws IOException {
        return send(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    public RawHttp send(byte[] b) throws IOException {
        out.write(b);
        out.flush();
        return this;
    }

    /** Sends {@code request} on a new connection: it must get {@code status} and the connection closed. */
    public static void assertRejected(int port, String request, int status) throws IOException {
        try (RawHttp c = new RawHttp(port)) {
            Response r = c.send(request).read();
            assertEquals(status, r.status, r.toString());
            assertEquals("close", r.headers.get("connection"));
            assertTrue(c.closedWithin(2_000) >= 0, "closed after " + r.statusLine);
        }
    }

    /** A GET with the given extra header lines (each ending in CRLF). */
    public static String get(String path, String extraHeaders) {
        return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extraHeaders + "\r\n";
    }

    /** Reads one response: head, then a body of Content-Length bytes (or up to the end of the stream without one). */
    public Response read() throws IOException {
        return read(true);
    }

    /** Reads the head of a response that has no body (the answer to HEAD). */
    public Response readHead() throws IOException {
        return read(false);
    }

    private Response read(boolean withBody) throws IOException {
        String head = readHeadText();
        String[] lines = head.split("\r\n");
        Map<String, String> h = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int c = lines[i].indexOf(':');
            if (c > 0) h.put(lines[i].substring(0, c).trim().toLowerCase(Locale.ROOT), lines[i].substring(c + 1).trim());
        }
        byte[] body;
        if (!withBody) {
            body = new byte[0];
        } else if (h.containsKey("content-length")) {
            body = in.readNBytes(Integer.parseInt(h.get("content-length")));
        } else if (lines[0].matches("HTTP/1\\.\\d (1\\d\\d|204|304) .*")) {
            body = new byte[0];
        } else {
            body = in.readAllBytes();
        }
        return new Response(lines[0], h, new String(body, StandardCharsets.UTF_8));
    }

    private String readHeadText() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int c = in.read();
            if (c < 0) throw new IOException("end of stream in a response head: '" + b + "'");
            b.write(c);
            state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    /**
     * Waits up to {@code ms} for the server to close the connection, discarding what it sends meanwhile: the time it
     * took in ms, or -1 if the connection was still open.
     */
    public long closedWithin(long ms) throws IOException {
        long start = System.nanoTime();
        long end = start + ms * 1_000_000L;
        byte[] sink = new byte[4096];
        try {
            while (true) {
                long left = (end - System.nanoTime()) / 1_000_000L;
                if (left <= 0) return -1;
                socket.setSoTimeout((int) left);
                if (in.read(sink) < 0) return (System.nanoTime() - start) / 1_000_000L;
            }
        } catch (SocketTimeoutException e) {
            return -1;
        } catch (IOException e) { // reset by the server: closed too
            return (System.nanoTime() - start) / 1_000_000L;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
