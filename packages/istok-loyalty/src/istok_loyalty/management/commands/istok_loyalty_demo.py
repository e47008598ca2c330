"""Demo promotions (general, loyalty and referral gifts) and news, in Russian as the
portal's customers read them, with their English texts (``translations``). Safe to run
again: existing items are found by title (promotions) or slug (news); only the demo's
own settings of a promotion (its discount, categories, whether it is chosen for an order)
and missing English texts are filled in."""

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
        "Встроенная подсветка рабочей зоны",
        "Светодиодная подсветка под навесными шкафами кухни — в подарок при первом заказе.",
    ),
    (
        P.REFERRAL,
        "Набор органайзеров для ящиков",
        "Комплект органайзеров для столовых приборов и кухонной утвари.",
    ),
    (
        P.REFERRAL,
        "Доводчики на все двери",
        "Установим доводчики на все распашные двери и ящики без доплаты.",
    ),
]

#: Earlier demo titles of the gifts: the pages already say "Your gift: ...".
RENAMED = {
    "Подарок: встроенная подсветка рабочей зоны": "Встроенная подсветка рабочей зоны",
    "Подарок: набор органайзеров для ящиков": "Набор органайзеров для ящиков",
    "Подарок: доводчики на все двери": "Доводчики на все двери",
}

#: What the demo promotions take off an order they are chosen for, the catalog categories
#: they are for, and the rule of the points program that is not chosen for an order.
FIELDS = {
    "Скидка 10% на кухни до конца сезона": {
        "discount_percent": 10,
        "category_slugs": ["kitchen"],
    },
    "Двойные баллы за шкафы-купе": {"category_slugs": ["wardrobe"]},
    "Баллами можно оплатить до 30% заказа": {"is_choosable": False},
}

#: The English texts (``translations``), so that the English pages are English.
ENGLISH = {
    "Скидка 10% на кухни до конца сезона": (
        "10% off kitchens until the end of the season",
        "Order a made-to-measure kitchen and get 10% off the cabinets and fronts. "
        "Measuring and the design project are free.",
    ),
    "Бесплатная доставка в пределах КАД": (
        "Free delivery within the ring road",
        "We deliver any furniture within the ring road free of charge; carrying it "
        "upstairs is charged at the usual rate.",
    ),
    "Двойные баллы за шкафы-купе": (
        "Double points for sliding-door wardrobes",
        "Until the end of the month a sliding-door wardrobe earns twice the bonus points.",
    ),
    "Баллами можно оплатить до 30% заказа": (
        "Points pay up to 30% of an order",
        "Spend your bonus points when you pay: one point is one rouble.",
    ),
    "Встроенная подсветка рабочей зоны": (
        "Built-in worktop lighting",
        "LED lighting under the kitchen's wall cabinets, a gift with your first order.",
    ),
    "Набор органайзеров для ящиков": (
        "Drawer organiser set",
        "A set of organisers for cutlery and kitchen utensils.",
    ),
    "Доводчики на все двери": (
        "Soft-close on every door",
        "We fit soft-close hinges and runners to every door and drawer at no extra cost.",
    ),
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

NEWS_ENGLISH = {
    "new-showroom": (
        "Our new showroom is open",
        "Come to our new showroom: eight kitchens and walk-in wardrobes at full size.",
        "The new showroom is open daily from 10 am to 9 pm. Book a meeting with a designer "
        "on the site: the consultation and the design project are free.",
    ),
    "new-facades": (
        "New fronts: oak veneer and velvet-touch enamel",
        "Two new collections of fronts are in the catalogue.",
        "Oak veneer in three shades and a matt enamel with a velvety surface that resists "
        "fingerprints. Samples are in the showroom.",
    ),
    "referral-program": (
        "Invite friends and earn points",
        "Our referral programme has started: a gift for your friend, bonus points for you.",
        "Share your link from the \u201cInvite a friend\u201d page. Your friend chooses a "
        "gift when signing up, and you earn bonus points when their order goes into "
        "production.",
    ),
}


class Command(BaseCommand):
    help = "Create demo promotions (in each program) and news (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        today = timezone.localdate()
        created = 0
        for old, new in RENAMED.items():
            Promotion.objects.filter(title=old).update(title=new)
        for position, (program, title, description) in enumerate(PROMOTIONS):
            promotion, new = Promotion.objects.get_or_create(
                title=title,
                program=program,
                defaults={
                    "description": description,
                    "start_date": today - timedelta(days=7),
                    "end_date": today + timedelta(days=90),
                    "position": position,
                    **FIELDS.get(title, {}),
                },
            )
            created += new
            if not new:
                for name, value in FIELDS.get(title, {}).items():
                    setattr(promotion, name, value)
            english_title, english_description = ENGLISH[title]
            if not promotion.get_translation("title", "en"):
                promotion.set_translation(
                    "en", title=english_title, description=english_description
                )
            promotion.save()
        now = timezone.now()
        for age, (slug, title, summary, content) in enumerate(NEWS):
            news, new = News.objects.get_or_create(
                slug=slug,
                defaults={
                    "title": title,
                    "summary": summary,
                    "content": content,
                    "published_at": now - timedelta(days=3 * age + 1),
                },
            )
            created += new
            if not news.get_translation("title", "en"):
                english_title, english_summary, english_content = NEWS_ENGLISH[slug]
                news.set_translation(
                    "en", title=english_title, summary=english_summary, content=english_content
                )
                news.save()
        self.stdout.write(
            f"istok_loyalty demo: {Promotion.objects.count()} promotions, "
            f"{News.objects.count()} news ({created} new)."
        )
