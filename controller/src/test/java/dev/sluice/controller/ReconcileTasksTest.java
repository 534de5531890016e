package dev.sluice.controller;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReconcileTasksTest {

  @Test
  void theJosdkInUseCarriesTheResourceInItsReconcileTaskWhereItIsRead() throws ClassNotFoundException {
    assertThat(ReconcileTasks.readable(Class.forName(ReconcileTasks.JOSDK_TASK))).isTrue();
  }

  @Test
  void anyOtherTaskIsForNoResource() {
    Runnable other = () -> {};
    assertThat(ReconcileTasks.readable(other.getClass())).isFalse();
    assertThat(ReconcileTasks.resourceOf(other)).isEmpty();
  }
}
