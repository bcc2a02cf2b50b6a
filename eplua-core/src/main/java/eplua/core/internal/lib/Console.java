package eplua.core.internal.lib;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Lua's standard streams over whatever {@link Writer}/{@link Reader} the host points them at now (a JSR-223
 * ScriptContext may change them between calls). Lua strings are bytes; they are decoded as UTF-8, keeping
 * multi-byte characters that arrive split across writes.
 */
public final class Console {
    private Console() {}

    public static PrintStream printStream(Supplier<Writer> target) {
        return new PrintStream(new WriterStream(target), true, StandardCharsets.UTF_8);
    }

    public static InputStream inputStream(Supplier<Reader> source) {
        return new ReaderStream(source);
    }

    /**
     * A writer made by {@code make} at its first use: the process's streams behind an engine that never prints cost
     * no encoder buffers (8 KB each).
     */
    public static Writer lazyWriter(Supplier<Writer> make) {
        return new Writer() {
            private Writer w;

            private synchronized Writer w() {
                return w != null ? w : (w = make.get());
            }

            @Override
            public void write(char[] b, int off, int len) throws IOException {
                w().write(b, off, len);
            }

            @Override
            public void write(String s, int off, int len) throws IOException {
                w().write(s, off, len);
            }

            @Override
            public Writer append(CharSequence s) throws IOException {
                w().append(s);
                return this;
            }

            @Override
            public void flush() throws IOException {
                w().flush();
            }

            @Override
            public void close() throws IOException {
                w().close();
            }
        };
    }

    /** A reader made by {@code make} at its first use (see {@link #lazyWriter}). */
    public static Reader lazyReader(Supplier<Reader> make) {
        return new Reader() {
            private Reader r;

            private synchronized Reader r() {
                return r != null ? r : (r = make.get());
            }

            @Override
            public int read(char[] b, int off, int len) throws IOException {
                return r().read(b, off, len);
            }

            @Override
            public boolean ready() throws IOException {
                return r().ready();
            }

            @Override
            public void close() throws IOException {
                r().close();
            }
        };
    }

    private static final class WriterStream extends OutputStream {
        private final Supplier<Writer> target;
        private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
        private ByteBuffer pending = ByteBuffer.allocate(256);
        private final CharBuffer chars = CharBuffer.allocate(1024);

        WriterStream(Supplier<Writer> target) {
            this.target = target;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            if (pending.remaining() < len) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(pending.capacity() * 2, pending.position() + len));
                pending.flip();
                bigger.put(pending);
                pending = bigger;
            }
            pending.put(b, off, len);
            drain(false);
        }

        private void drain(boolean flush) throws IOException {
            Writer w = target.get();
            pending.flip();
            while (true) {
                chars.clear();
                decoder.decode(pending, chars, false);
                chars.flip();
                if (chars.hasRemaining() && w != null) w.append(chars);
                if (!chars.hasRemaining() || pending.remaining() < 4 && chars.limit() == 0) break;
            }
            pending.compact(); // keeps an incomplete trailing sequence for the next write
            if (flush && w != null) w.flush();
        }

        @Override
        public synchronized void flush() throws IOException {
            drain(true);
        }
    }

    private static final class ReaderStream extends InputStream {
        private final Supplier<Reader> source;
        private final CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
        private final ByteBuffer bytes = ByteBuffer.allocate(1024);
        private final CharBuffer chars = CharBuffer.allocate(256);
        private int markedByte = -2;
        private boolean eof;
        private Reader current;

        ReaderStream(Supplier<Reader> source) {
            this.source = source;
            bytes.flip();
            chars.flip();
        }

        @Override
        public synchronized int read() throws IOException {
            sync();
            int b;
            if (markedByte >= -1) {
                b = markedByte;
                markedByte = -2;
            } else {
                b = fill() ? bytes.get() & 0xff : -1;
            }
            if (peek == -3) peek = b; // the byte read right after mark()
            return b;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) return 0;
            sync();
            peek = -2;
            int n = 0;
            if (markedByte >= -1) {
                int first = read();
                if (first < 0) return -1;
                b[off] = (byte) first;
                n = 1;
                if (bytes.hasRemaining() == false) return n;
            }
            if (n == 0 && !fill()) return -1;
            int k = Math.min(len - n, bytes.remaining());
            bytes.get(b, off + n, k);
            return n + k;
        }

        /** A new reader (another ScriptContext) starts fresh: no end-of-input or bytes left from the old one. */
        private void sync() {
            Reader r = source.get();
            if (r == current) return;
            current = r;
            eof = false;
            markedByte = -2;
            bytes.clear();
            bytes.flip();
            chars.clear();
            chars.flip();
        }

        private boolean fill() throws IOException {
            while (!bytes.hasRemaining()) {
                if (eof) return false;
                chars.compact();
                Reader r = current;
                int got = r == null ? -1 : r.read(chars);
                chars.flip();
                if (got < 0) eof = true;
                bytes.clear();
                encoder.encode(chars, bytes, eof);
                bytes.flip();
                if (eof && !bytes.hasRemaining()) return false;
            }
            return true;
        }

        // LuaJ peeks one byte with mark(1)/read()/reset()
        private int peek = -2;

        @Override
        public boolean markSupported() {
            return true;
        }

        @Override
        public synchronized void mark(int limit) {
            peek = -3;
        }

        @Override
        public synchronized void reset() {
            // only the one-byte peek LuaJ does is supported: push the byte read since mark() back
            if (peek >= -1) markedByte = peek;
            peek = -2;
        }

        @Override
        public int available() {
            return bytes.remaining();
        }
    }
}
