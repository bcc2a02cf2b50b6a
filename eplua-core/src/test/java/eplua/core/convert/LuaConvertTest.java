package eplua.core.convert;

import org.junit.jupiter.api.Test;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class LuaConvertTest {
    @Test
    void bytesRoundTripWithEveryByteValue() {
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) all[i] = (byte) i;
        LuaValue s = LuaConvert.fromBytes(all);
        assertEquals(256, s.rawlen());
        assertArrayEquals(all, LuaConvert.toBytes(s));
    }

    @Test
    void stringsAreRealUtf8BothWays() {
        String text = "héllo \uD83D\uDE00";
        LuaValue s = LuaConvert.toLua(text);
        assertEquals(text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length, s.rawlen(), "4-byte UTF-8, not CESU");
        assertEquals(text, LuaConvert.toJava(s));
    }

    @Test
    void copiedMapsListsAndNumbersConvert() {
        Map<String, Object> m = new HashMap<>();
        m.put("n", 3);
        m.put("big", 1L << 40);
        m.put("f", 1.5);
        m.put("list", List.of("a", "b"));
        LuaTable t = (LuaTable) LuaConvert.copyToLua(m);
        assertEquals(2, t.get("list").rawlen());
        @SuppressWarnings("unchecked")
        Map<Object, Object> back = (Map<Object, Object>) LuaConvert.toJava(t);
        assertEquals(3, back.get("n"));
        assertEquals(1L << 40, back.get("big"));
        assertEquals(1.5, back.get("f"));
        assertEquals(List.of("a", "b"), back.get("list"));
    }

    @Test
    void cyclesMapToCyclesInsteadOfRecursingForever() {
        List<Object> self = new ArrayList<>();
        self.add(self);
        LuaTable t = (LuaTable) LuaConvert.copyToLua(self);
        assertSame(t, t.get(1), "the cycle is kept as a cycle");
        LuaTable a = new LuaTable();
        a.set("me", a);
        @SuppressWarnings("unchecked")
        Map<Object, Object> m = (Map<Object, Object>) LuaConvert.toJava(a);
        assertSame(m, m.get("me"));
    }
}
