# Страница подписания (GET /sign/{token}): что подписывается, кнопка «Подписать» и все ответы,
# которые страница показывает, пока говорит с NCALayer и с нашим сервером.

sign-page-title-document = Подписание заявления
sign-page-title-sign-in = Вход по ЭЦП
sign-page-brand = ЕНПФ · Zeinet
sign-page-intro-document = Проверьте заявление ниже. Если всё верно, нажмите «Подписать» и выберите в NCALayer ключ ЭЦП для подписи.
sign-page-intro-sign-in = Чтобы войти в бот, нажмите «Подписать» и выберите в NCALayer ключ ЭЦП для аутентификации (имя файла начинается с AUTH).
sign-page-kind = Заявление
sign-page-number = Номер
sign-page-contents = Содержание заявления
sign-page-sign-in-content = Одноразовый код входа, выданный ботом
sign-page-sha256 = SHA-256 документа
sign-page-expires = Ссылка действует до
sign-page-time = { $time } (время Астаны)
sign-page-yes = да
sign-page-no = нет
sign-page-empty = —
sign-page-sign = Подписать
sign-page-needs-ncalayer = Подписать можно на компьютере с запущенным NCALayer; с телефона подписание пока не работает.
sign-page-noscript = Для связи с NCALayer странице нужен JavaScript. Включите JavaScript и обновите страницу.
sign-page-connecting = Подключаемся к NCALayer…
sign-page-choose-key = Выберите ключ в окне NCALayer и введите его пароль.
sign-page-choose-key-document = Выберите в окне NCALayer ключ для подписи (имя файла начинается с RSA или GOST, не с AUTH) и введите его пароль.
sign-page-sending = Проверяем подпись…
sign-page-not-running-title = NCALayer не запущен
sign-page-not-running =
    Странице не удалось связаться с NCALayer на этом компьютере.
    1. Если NCALayer не установлен, скачайте его с официального сайта Национального удостоверяющего центра и установите.
    2. Запустите NCALayer и дождитесь, пока его значок появится рядом с часами.
    3. Если браузер спросит, можно ли этому сайту обращаться к устройствам в локальной сети, разрешите.
    4. Нажмите «Попробовать снова».
sign-page-installer = Скачать NCALayer (pki.gov.kz)
sign-page-try-again = Попробовать снова
sign-page-cancelled = Вы отменили подписание, ничего не подписано. Подписать можно, пока ссылка действует.
sign-page-failed = NCALayer не смог подписать. Его ответ:
sign-page-wrong-iin = Этот ключ принадлежит другому человеку. Выберите ключ, выданный на ваше имя (с вашим ИИН), и подпишите снова.
sign-page-wrong-purpose-document = Это ключ для аутентификации (имя файла AUTH_…), им нельзя подписывать документы. Выберите ключ для подписи (имя файла RSA… или GOST…) и подпишите снова.
sign-page-wrong-purpose-sign-in = Этот ключ не предназначен для входа. Выберите ключ для аутентификации (имя файла AUTH_…) и подпишите снова.
sign-page-refused = Подпись не принята:
sign-page-unavailable = Проверить подпись сейчас не получается. Ничего не потрачено: попробуйте снова через несколько минут.
sign-page-network = Нет связи с сервером. Проверьте подключение к интернету и попробуйте снова.
sign-page-error = Что-то пошло не так. Попробуйте снова.
sign-page-done-document = Готово: заявление подписано и отправлено в фонд. Вернитесь в Telegram — бот прислал вам сообщение.
sign-page-done-sign-in = Готово: вход по ЭЦП подтверждён. Вернитесь в Telegram и нажмите «Продолжить».
sign-page-gone-title = Ссылка больше не действует
sign-page-gone = Эта ссылка для подписания неверна, уже использована или устарела. Попросите у бота новую ссылку: откройте заявление в чате и снова нажмите «Подписать».
sign-page-unavailable-title = Временно недоступно
sign-page-unavailable-page = Страницу сейчас не удаётся показать. Попробуйте через несколько минут.
sign-page-field-kind = Вид заявления
sign-page-field-iin = ИИН
sign-page-field-full-name = ФИО
sign-page-field-created-at = Составлено
sign-page-field-currency = Валюта
