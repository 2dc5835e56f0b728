"""``theodoi manage api_token create USERNAME --name NAME`` (also ``list`` and ``revoke``)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from theodoi.api.models import ApiToken
from theodoi.api.services import api_token_create, api_token_revoke


class Command(BaseCommand):
    help = "Tạo, liệt kê, thu hồi mã truy cập API của người dùng."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="tạo mã truy cập mới và in mã ra một lần")
        create.add_argument("username", help="tên đăng nhập của người dùng")
        create.add_argument("--name", required=True, help="tên gọi của mã (dùng cho việc gì)")
        listing = sub.add_parser("list", help="liệt kê các mã truy cập")
        listing.add_argument("username", nargs="?", help="chỉ mã của người dùng này")
        revoke = sub.add_parser("revoke", help="thu hồi mã truy cập theo tiền tố")
        revoke.add_argument(
            "prefix",
            help="tám ký tự đầu của mã (mã cũ bắt đầu bằng dấu “-”: viết “revoke -- -abc…”)",
        )

    def handle(self, *args, action, **options):
        getattr(self, f"handle_{action}")(**options)

    def handle_create(self, *, username, name, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Không có người dùng “{username}”.")
        token, secret = api_token_create(user=user, name=name)
        self.stdout.write(f"Đã tạo mã truy cập “{token.name}” cho {user.username}.")
        self.stdout.write("Mã chỉ hiển thị một lần này, hãy lưu lại ngay:")
        self.stdout.write(secret)
        self.stdout.write(f"Dùng trong tiêu đề yêu cầu: Authorization: Bearer {secret}")

    def handle_list(self, *, username=None, **options):
        tokens = ApiToken.objects.select_related("user")
        if username:
            tokens = tokens.filter(user__username=username)
        if not tokens:
            self.stdout.write("Chưa có mã truy cập nào.")
        for token in tokens:
            state = "đã thu hồi" if token.is_revoked else "đang dùng"
            used = (
                f"dùng lần cuối {timezone.localtime(token.last_used_at):%d/%m/%Y %H:%M}"
                if token.last_used_at
                else "chưa dùng"
            )
            self.stdout.write(
                f"{token.prefix}…  {token.user.username}  {token.name}  ({state}; {used})"
            )

    def handle_revoke(self, *, prefix, **options):
        tokens = list(ApiToken.objects.filter(prefix=prefix, revoked_at__isnull=True))
        if len(tokens) != 1:
            raise CommandError(
                f"Không có mã truy cập đang dùng với tiền tố “{prefix}”."
                if not tokens
                else f"Có {len(tokens)} mã cùng tiền tố “{prefix}”; hãy thu hồi trong trang "
                "Quản trị."
            )
        api_token_revoke(token=tokens[0])
        self.stdout.write(f"Đã thu hồi mã truy cập “{tokens[0].name}”.")
