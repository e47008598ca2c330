"""Demo promotions (general, loyalty and referral gifts) and news, in Russian as the
portal's customers read them. Safe to run again: existing items are found by title
(promotions) or slug (news) and left as they are."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from ...models import News, Promotion

P = Promotion.Program

PROMOTIONS = [
    (
        P.GENERAL,
        "Скидка 10% на кухни до конца сезона",
        "Закажите кухню по индивидуальному проекту и получите скидку 10% на корпус и "
        "фасады. Замер и дизайн-проект бесплатно.",
    ),
    (
        P.GENERAL,
        "Бесплатная доставка в пределах КАД",
        "Доставим любую мебель в пределах КАД бесплатно, подъём на этаж — по тарифу.",
    ),
    (
        P.LOYALTY,
        "Двойные баллы за шкафы-купе",
        "До конца месяца за заказ шкафа-купе начисляем вдвое больше бонусных баллов.",
    ),
    (
        P.LOYALTY,
        "Баллами можно оплатить до 30% заказа",
        "Списывайте бонусные баллы при оплате: один балл — один рубль.",
    ),
    (
        P.REFERRAL,
        "Подарок: встроенная подсветка рабочей зоны",
        "Светодиодная подсветка под навесными шкафами кухни — в подарок при первом заказе.",
    ),
    (
        P.REFERRAL,
        "Подарок: набор органайзеров для ящиков",
        "Комплект органайзеров для столовых приборов и кухонной утвари.",
    ),
    (
        P.REFERRAL,
        "Подарок: доводчики на все двери",
        "Установим доводчики на все распашные двери и ящики без доплаты.",
    ),
]

#: What the demo promotions take off an order they are chosen for (the others are perks).
DISCOUNTS = {
    "Скидка 10% на кухни до конца сезона": {"discount_percent": 10},
}

NEWS = [
    (
        "new-showroom",
        "Открыли новый шоурум",
        "Приглашаем в новый шоурум: восемь кухонь и гардеробные в натуральную величину.",
        "Новый шоурум работает ежедневно с 10 до 21. Запишитесь на встречу с дизайнером "
        "на сайте — консультация и дизайн-проект бесплатны.",
    ),
    (
        "new-facades",
        "Новые фасады: шпон дуба и эмаль с эффектом бархата",
        "В каталоге появились две новые коллекции фасадов.",
        "Шпон дуба в трёх оттенках и матовая эмаль с бархатистой поверхностью, устойчивой "
        "к отпечаткам пальцев. Образцы — в шоуруме.",
    ),
    (
        "referral-program",
        "Приглашайте друзей — получайте баллы",
        "Запустили реферальную программу: подарок другу и бонусные баллы вам.",
        "Поделитесь своей ссылкой из раздела «Пригласить друга». Друг выберет подарок при "
        "регистрации, а вы получите бонусные баллы, когда его заказ уйдёт в производство.",
    ),
]


class Command(BaseCommand):
    help = "Create demo promotions (in each program) and news (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        today = timezone.localdate()
        created = 0
        for position, (program, title, description) in enumerate(PROMOTIONS):
            _promotion, new = Promotion.objects.get_or_create(
                title=title,
                program=program,
                defaults={
                    "description": description,
                    "start_date": today - timedelta(days=7),
                    "end_date": today + timedelta(days=90),
                    "position": position,
                    **DISCOUNTS.get(title, {}),
                },
            )
            created += new
        now = timezone.now()
        for age, (slug, title, summary, content) in enumerate(NEWS):
            _news, new = News.objects.get_or_create(
                slug=slug,
                defaults={
                    "title": title,
                    "summary": summary,
                    "content": content,
                    "published_at": now - timedelta(days=3 * age + 1),
                },
            )
            created += new
        self.stdout.write(
            f"istok_loyalty demo: {Promotion.objects.count()} promotions, "
            f"{News.objects.count()} news ({created} new)."
        )
