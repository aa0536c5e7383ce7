"""The initial national lists. Slugs are fixed: catalogues and demo data use them."""

from django.db import migrations

TOPICS = [
    ("identity-civil", "هویت و ثبت احوال", "Identity and civil registration",
     "شناسنامه، کارت ملی، ثبت ولادت و وفات"),
    ("health", "سلامت و درمان", "Health", "بیمه درمان، بیمارستان‌ها، دارو و بهداشت"),
    ("education", "آموزش", "Education", "مدرسه، دانشگاه، مدرک تحصیلی و آموزش فنی"),
    ("business", "کسب‌وکار و مجوزها", "Business and permits",
     "پروانه کسب، ثبت شرکت و مجوزهای کسب‌وکار"),
    ("housing-construction", "مسکن و ساخت‌وساز", "Housing and construction",
     "پروانه ساختمان، سند ملک و مسکن"),
    ("transport-vehicles", "حمل‌ونقل و خودرو", "Transport and vehicles",
     "گواهینامه، پلاک، خودرو و حمل‌ونقل عمومی"),
    ("employment-insurance", "کار و بیمه", "Work and social insurance",
     "اشتغال، بیمه تأمین اجتماعی و روابط کار"),
    ("taxes-finance", "مالیات و امور مالی", "Taxes and finance",
     "اظهارنامه مالیاتی، کد اقتصادی و عوارض"),
    ("justice-police", "قضایی و انتظامی", "Justice and police",
     "پرونده قضایی، گذرنامه، گواهی عدم سوء پیشینه"),
    ("welfare", "رفاه و حمایت اجتماعی", "Welfare and social support",
     "یارانه، مستمری و حمایت از خانواده‌ها"),
    ("agriculture", "کشاورزی و منابع طبیعی", "Agriculture and natural resources",
     "کشاورزی، دامداری، آب کشاورزی و منابع طبیعی"),
    ("utilities", "آب، برق، گاز و ارتباطات", "Water, power, gas and telecoms",
     "انشعاب، قبض و خدمات مخابرات و پست"),
    ("municipal-services", "خدمات شهری", "Municipal services",
     "شهرداری، عوارض شهری، پسماند و فضای سبز"),
]

LIFE_EVENTS = [
    ("birth", "تولد فرزند", "Having a child", "ثبت ولادت، شناسنامه و بیمه نوزاد"),
    ("marriage", "ازدواج", "Getting married", "ثبت ازدواج، آزمایش پیش از ازدواج و وام"),
    ("death", "فوت بستگان", "Death of a relative", "گواهی فوت، انحصار وراثت و مستمری بازماندگان"),
    ("starting-school", "ورود به مدرسه و دانشگاه", "Starting school or university",
     "ثبت‌نام مدرسه، کنکور و دانشگاه"),
    ("military-service", "خدمت وظیفه عمومی", "Military service",
     "اعزام، معافیت و کارت پایان خدمت"),
    ("first-job", "اشتغال", "Getting a job", "جست‌وجوی کار، بیمه و قرارداد کار"),
    ("starting-business", "راه‌اندازی کسب‌وکار", "Starting a business",
     "ثبت شرکت، پروانه کسب و کد اقتصادی"),
    ("buying-home", "خرید یا ساخت خانه", "Buying or building a home",
     "سند، پروانه ساختمان و انشعاب‌ها"),
    ("buying-vehicle", "خرید خودرو", "Buying a vehicle", "تعویض پلاک، بیمه و انتقال سند"),
    ("retirement", "بازنشستگی", "Retiring", "حکم بازنشستگی و مستمری"),
    ("moving-home", "تغییر محل سکونت", "Moving home", "تغییر نشانی، انتقال انشعاب‌ها و مدرسه"),
    ("travel-abroad", "سفر به خارج از کشور", "Travelling abroad",
     "گذرنامه، خروج از کشور و عوارض"),
]


def seed(apps, schema_editor):
    for model_name, rows in (("Topic", TOPICS), ("LifeEvent", LIFE_EVENTS)):
        model = apps.get_model("taxonomy", model_name)
        for order, (slug, name_fa, name_en, description_fa) in enumerate(rows):
            model.objects.update_or_create(
                slug=slug,
                defaults={
                    "name_fa": name_fa,
                    "name_en": name_en,
                    "description_fa": description_fa,
                    "sort_order": order,
                },
            )


def unseed(apps, schema_editor):
    for model_name, rows in (("Topic", TOPICS), ("LifeEvent", LIFE_EVENTS)):
        apps.get_model("taxonomy", model_name).objects.filter(
            slug__in=[row[0] for row in rows]
        ).delete()


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
