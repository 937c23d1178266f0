package dev.licensor.server.session.api;

import dev.licensor.server.session.Sessions;
import jakarta.validation.Validator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.HandlerExceptionResolver;
import tools.jackson.databind.json.JsonMapper;

/** Maps {@link HeartbeatServlet} to the heartbeat's exact path, ahead of the dispatcher's {@code /}. */
@Configuration(proxyBeanMethods = false)
class HeartbeatServletConfig {
    @Bean
    ServletRegistrationBean<HeartbeatServlet> heartbeatServlet(
            Sessions sessions,
            JsonMapper json,
            Validator validator,
            @Qualifier("handlerExceptionResolver") HandlerExceptionResolver exceptions,
            ObjectProvider<DispatcherServlet> dispatcher) {
        ServletRegistrationBean<HeartbeatServlet> registration = new ServletRegistrationBean<>(
                new HeartbeatServlet(sessions, json, validator, exceptions, dispatcher::getObject),
                HeartbeatServlet.PATH);
        registration.setName("heartbeatServlet");
        registration.setLoadOnStartup(1);
        return registration;
    }
}
