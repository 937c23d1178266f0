package dev.licensor.server.web;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.LocaleResolver;
import org.springframework.web.servlet.i18n.AcceptHeaderLocaleResolver;
import tools.jackson.databind.module.SimpleModule;

@Configuration(proxyBeanMethods = false)
class WebConfig {
    /** English by default; German and French when the client asks for them. */
    @Bean
    LocaleResolver localeResolver() {
        AcceptHeaderLocaleResolver resolver = new AcceptHeaderLocaleResolver();
        resolver.setSupportedLocales(Problems.LOCALES);
        resolver.setDefaultLocale(Problems.LOCALES.getFirst());
        return resolver;
    }

    /** Applies {@link SafeStrings} to every string read from a JSON body. */
    @Bean
    SimpleModule safeStringsModule() {
        SimpleModule module = new SimpleModule("licensor-safe-strings");
        module.addDeserializer(String.class, new SafeStrings.Deserializer());
        return module;
    }
}
