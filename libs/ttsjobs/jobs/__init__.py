"""The job as the sum of its events: one reducer shared by the projection and the gateway."""
