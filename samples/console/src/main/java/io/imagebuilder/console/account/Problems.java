package io.imagebuilder.console.account;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes the security filters' refusals as RFC 9457 problem details, like the API's errors. */
final class Problems {
  private final ObjectMapper json;

  Problems(ObjectMapper json) {
    this.json = json;
  }

  void write(HttpServletResponse response, int status, String detail) throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "about:blank");
    body.put("title", status == 401 ? "Unauthorized" : status == 403 ? "Forbidden" : "Bad Request");
    body.put("status", status);
    body.put("detail", detail);
    response.setStatus(status);
    if (status == 401) {
      response.setHeader("WWW-Authenticate", "Bearer");
    }
    response.setContentType("application/problem+json");
    json.writeValue(response.getOutputStream(), body);
  }
}
