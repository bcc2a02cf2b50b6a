package eplua.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Makes LuaJ 3.0.1's error texts read like Lua's, for people at a terminal. */
final class Messages {
    // LuaJ prints the parser's token number: "unexpected symbol 286 (Ğ)"
    private static final Pattern TOKEN = Pattern.compile("unexpected symbol (\\d+) \\(.\\)");
    private static final int FIRST_RESERVED = 257;
    private static final String[] TOKENS = {
        "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if", "in", "local", "nil",
        "not", "or", "repeat", "return", "then", "true", "until", "while", "..", "...", "==", ">=", "<=", "~=", "::",
        "<eof>", "<number>", "<name>", "<string>"};

    private Messages() {}

    /**
     * {@code unexpected symbol 286 (Ğ)} becomes {@code unexpected symbol near <eof>}, and a syntax error's
     * {@code [string "x.lua"]:3:} becomes {@code x.lua:3:} when x.lua is the chunk that was run.
     */
    static String tidy(String message, String chunkName) {
        if (message == null) return null;
        String m = message;
        if (chunkName != null) m = m.replace("[string \"" + chunkName + "\"]", chunkName);
        Matcher t = TOKEN.matcher(m);
        StringBuilder sb = new StringBuilder();
        while (t.find()) t.appendReplacement(sb, Matcher.quoteReplacement("unexpected symbol near " + token(Integer.parseInt(t.group(1)))));
        t.appendTail(sb);
        return sb.toString();
    }

    static String token(int token) {
        if (token < FIRST_RESERVED) return "'" + (char) token + "'";
        int i = token - FIRST_RESERVED;
        if (i >= TOKENS.length) return "token " + token;
        String s = TOKENS[i];
        return s.startsWith("<") ? s : "'" + s + "'";
    }
}
