package eplua.core.internal.lib;

import org.luaj.vm2.LuaString;

import java.util.Arrays;

/** The bytes of a Lua string being built by a library function, held to {@link StringLimits}. */
class ByteBuilder {
    private byte[] buf;
    private int len;

    ByteBuilder(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    final int length() {
        return len;
    }

    final void add(byte b) {
        if (len == buf.length) grow(1);
        buf[len++] = b;
    }

    final void addAscii(String s) {
        add(StringFormat.ascii(s), 0, s.length());
    }

    final void add(byte[] b, int off, int n) {
        if (len + n > buf.length) grow(n);
        System.arraycopy(b, off, buf, len, n);
        len += n;
    }

    final void add(LuaString s) {
        add(s.m_bytes, s.m_offset, s.m_length);
    }

    final void fill(byte b, int n) {
        if (n <= 0) return;
        if (len + n > buf.length) grow(n);
        Arrays.fill(buf, len, len + n, b);
        len += n;
    }

    private void grow(int more) {
        long need = (long) len + more;
        StringLimits.check(need);
        buf = Arrays.copyOf(buf, (int) Math.min(StringLimits.ARRAY_MAX, Math.max(need, 2L * buf.length)));
    }

    final LuaString toLuaString() {
        byte[] b = len == buf.length ? buf : Arrays.copyOf(buf, len);
        return LuaString.valueUsing(b);
    }
}
