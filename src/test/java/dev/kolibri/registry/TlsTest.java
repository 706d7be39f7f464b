package dev.kolibri.registry;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TlsTest {
    @Test
    void none_cannotMakeATlsConnection_butGivesParametersForAPlainClient() {
        javax.net.ssl.SSLContext none = Tls.none();
        assertThatThrownBy(none::createSSLEngine).isInstanceOf(UnsupportedOperationException.class)
                .hasMessage("this client speaks plain HTTP only");
        assertThatThrownBy(none::getSocketFactory).isInstanceOf(UnsupportedOperationException.class);
        assertThat(none.getDefaultSSLParameters()).isNotNull();
        assertThat(java.net.http.HttpClient.newBuilder().sslContext(none).build()).isNotNull();
    }
}
