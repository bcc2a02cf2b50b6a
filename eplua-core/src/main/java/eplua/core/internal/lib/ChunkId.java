package eplua.core.internal.lib;

import java.nio.charset.StandardCharsets;

/**
 * How Lua 5.2 names a chunk in messages (luaO_chunkid, LUA_IDSIZE 60): {@code "=name"} as {@code name},
 * {@code "@file.lua"} as {@code file.lua} ("..." and the end of a long path), any other source as
 * {@code [string "its first line..."]}.
 */
public final class ChunkId {
    private static final int IDSIZE = 60;
    private static final String PRE = "[string \"";
    private static final String POS = "\"]";
    private static final String RETS = "...";

    private ChunkId() {}

    /** The message name of a chunk whose source is {@code source} (bytes, as Lua holds them). */
    public static String of(byte[] source, int off, int len) {
        int l = 0;
        while (l < len && source[off + l] != 0) l++; // C stops at a zero byte
        if (l > 0 && (source[off] == '=' || source[off] == '@')) {
            return named(new String(source, off, l, StandardCharsets.UTF_8));
        }
        int nl = -1;
        for (int i = 0; i < l; i++) {
            if (source[off + i] == '\n') {
                nl = i;
                break;
            }
        }
        int room = IDSIZE - (PRE.length() + RETS.length() + POS.length()) - 1;
        if (l < room && nl < 0) return PRE + new String(source, off, l, StandardCharsets.UTF_8) + POS;
        if (nl >= 0) l = nl;
        if (l > room) l = room;
        return PRE + new String(source, off, l, StandardCharsets.UTF_8) + RETS + POS;
    }

    /**
     * The message name of a {@code "="} or {@code "@"} source; other names are eplua's own plain chunk names
     * ({@code "x.lua"}, {@code "stdin"}) and stay as they are.
     */
    public static String named(String source) {
        if (source.isEmpty()) return source;
        char c = source.charAt(0);
        if (c == '=') return source.length() <= IDSIZE ? source.substring(1) : source.substring(1, IDSIZE);
        if (c == '@') {
            if (source.length() <= IDSIZE) return source.substring(1);
            int keep = IDSIZE - RETS.length() - 1;
            return RETS + source.substring(source.length() - keep);
        }
        return source;
    }
}
