package eplua.net.common;

import eplua.net.http.TestSupport;
import org.junit.jupiter.api.AfterEach;

/** A test with a fresh engine (every module installed) per test, which must end idle with no reported errors. */
public abstract class WithLua {
    protected final TestSupport.Lua lua = new TestSupport.Lua();

    @AfterEach
    void closeLua() throws InterruptedException {
        try {
            lua.assertIdle();
        } finally {
            lua.close();
        }
    }
}
