package io.unimq.tck;

import io.unimq.api.IdempotencyStore;

/** The reference run of the store kit: {@link IdempotencyStore#inMemory()}. */
class InMemoryIdempotencyStoreCompatibilityTest extends IdempotencyStoreCompatibilityKit {
  @Override
  protected IdempotencyStore openStore() {
    return IdempotencyStore.inMemory();
  }
}
