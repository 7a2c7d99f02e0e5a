"""relu_course: the shared package behind the course "ReLU, Deeply"."""
