package eplua.net.http;

import io.netty.handler.codec.http.HttpHeaders;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

import java.util.Iterator;
import java.util.Map;

/**
 * Received headers (a request's for the server's handler, a response's for the client) as the Lua table a script
 * gets: names in lower case, the values of a repeated name joined with ", " in the order received, each value the
 * bytes the peer sent. (Netty's codec reads header bytes as ISO-8859-1, one char per byte, so the bytes come back
 * unchanged; a UTF-8 value stays UTF-8, as bodies do.)
 */
final class HeaderTable {
    private static final LuaString COMMA = LuaString.valueOf(", ");

    private HeaderTable() {
    }

    static LuaTable of(HttpHeaders headers) {
        LuaTable t = new LuaTable(0, headers.size());
        Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence();
        while (it.hasNext()) {
            Map.Entry<CharSequence, CharSequence> e = it.next();
            LuaString name = bytes(e.getKey(), true);
            LuaString value = bytes(e.getValue(), false);
            LuaValue before = t.rawget(name);
            t.rawset(name, before.isnil() ? value : before.concat(COMMA).concat(value));
        }
        return t;
    }

    private static LuaString bytes(CharSequence s, boolean lowerCase) {
        byte[] b = new byte[s.length()];
        for (int i = 0; i < b.length; i++) {
            char c = s.charAt(i);
            b[i] = (byte) (lowerCase && c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
        }
        return LuaString.valueUsing(b);
    }
}
