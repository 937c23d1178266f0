package dev.licensor.server.web;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.core.util.Json;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document names properties as the API does: swagger-core inspects models with its
 * own (Jackson 2) mapper, which knows nothing of {@code spring.jackson.property-naming-strategy},
 * so without this every schema would show camelCase names the server never reads or writes.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfig {
    @Bean
    ModelResolver snakeCaseModelResolver() {
        return new ModelResolver(Json.mapper().copy().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE));
    }
}
