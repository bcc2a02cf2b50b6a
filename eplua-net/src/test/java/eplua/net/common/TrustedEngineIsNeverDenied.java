package eplua.net.common;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every net module asks the engine's profile before a connect, a datagram target or a bind (Access); a trusted engine
 * (the default) is allowed all of them: one of each, in one script, against servers of its own.
 */
class TrustedEngineIsNeverDenied extends WithLua {
    @Test
    void everyConnectSendAndBindGoesThrough() throws Exception {
        String r = lua.run(""
                + "local out = {}\n"
                // http server + client
                + "local hs = net.HTTPServer()\n"
                + "local hp = assert(hs:start('127.0.0.1', 0, function() return 'hi' end))\n"
                + "out[#out + 1] = assert(http.request('http://127.0.0.1:' .. hp .. '/')).body\n"
                // websocket server + client
                + "local ws = net.WebSocketServer()\n"
                + "local wp = assert(ws:start('127.0.0.1', 0))\n"
                + "local wc = net.WebSocketClient()\n"
                + "out[#out + 1] = tostring(assert(wc:connect_async('ws://127.0.0.1:' .. wp .. '/')))\n"
                + "wc:close()\n"
                // tcp server + client
                + "local ts = create_tcp_server()\n"
                + "local tp = assert(ts:listen('127.0.0.1', 0))\n"
                + "local tc = create_tcp_socket()\n"
                + "out[#out + 1] = tostring(assert(tc:connect_async('127.0.0.1', tp)))\n"
                + "tc:close()\n"
                // udp bind + send
                + "local u = create_udp_socket()\n"
                + "local up = assert(u:bind('127.0.0.1', 0))\n"
                + "local u2 = create_udp_socket()\n"
                + "out[#out + 1] = tostring(assert(u2:send_to_async('x', '127.0.0.1', up)))\n"
                + "out[#out + 1] = (u:receive_async())\n"
                + "u:close(); u2:close()\n"
                // mqtt: reaches the (silent, non-MQTT) tcp server: whatever fails, it is not 'denied'
                + "local c, e = mqtt.connect_async('mqtt://127.0.0.1:' .. tp, {timeout = 300})\n"
                + "out[#out + 1] = e and e:match('^%a+') or 'connected?'\n"
                + "hs:stop(); ws:stop(); ts:close()\n"
                + "return table.concat(out, ',')").arg1().tojstring();
        assertEquals("hi,true,true,1,x,timeout", r);
    }
}
