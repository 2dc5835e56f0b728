"""theodoi — theo dõi, đánh giá và báo cáo việc thực hiện nghị quyết."""

__version__ = "0.1.0"
