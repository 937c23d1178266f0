package dev.licensor.server.ops;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI document at {@code /v3/api-docs}: which credential each path needs. */
@Configuration(proxyBeanMethods = false)
class OpenApiConfig {
    private static final String API_KEY = "ApiKey";
    private static final String ADMIN_TOKEN = "AdminToken";

    @Bean
    OpenAPI licensorOpenApi() {
        return new OpenAPI()
                .info(new Info()
                        .title("Licensor API")
                        .version("1")
                        .description("Client API (X-API-Key) for the vendor's program and admin API (Bearer admin "
                                + "token). Errors are application/problem+json with a stable `code`."))
                .components(new Components()
                        .addSecuritySchemes(
                                API_KEY,
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.APIKEY)
                                        .in(SecurityScheme.In.HEADER)
                                        .name("X-API-Key"))
                        .addSecuritySchemes(
                                ADMIN_TOKEN,
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.HTTP)
                                        .scheme("bearer")));
    }

    /**
     * Names schema properties as the API does: swagger-core inspects models with its own (Jackson
     * 2) mapper, which knows nothing of {@code spring.jackson.property-naming-strategy}, so without
     * this every schema would show camelCase names the server never reads or writes.
     */
    @Bean
    ModelResolver snakeCaseModelResolver() {
        return new ModelResolver(Json.mapper().copy().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE));
    }

    /** Marks every operation with the credential its path requires. */
    @Bean
    OpenApiCustomizer licensorSecurityRequirements() {
        return api -> api.getPaths().forEach((path, item) -> {
            String scheme;
            if (path.startsWith("/api/admin/") || path.equals("/api/stats")) {
                scheme = ADMIN_TOKEN;
            } else if (path.startsWith("/api/") && !path.equals("/api/keys")) {
                scheme = API_KEY;
            } else {
                return;
            }
            item.readOperations().forEach(op -> op.addSecurityItem(new SecurityRequirement().addList(scheme)));
        });
    }
}
