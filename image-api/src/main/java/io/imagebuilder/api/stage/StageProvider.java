package io.imagebuilder.api.stage;

import io.imagebuilder.api.spec.ImageSpec;
import java.util.List;

/**
 * Contributes the stages a spec needs, found with {@link java.util.ServiceLoader} through {@code
 * META-INF/services/io.imagebuilder.api.stage.StageProvider}. The plan sorts all contributions by
 * phase; a provider's own stages keep their order.
 */
public interface StageProvider {
  /**
   * Stages for {@code spec}.
   *
   * @param spec the image spec
   * @return the stages, empty when nothing of this provider applies
   */
  List<Stage> stages(ImageSpec spec);
}
