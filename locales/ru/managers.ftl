# Заявления о переводе накоплений: выбор и смена управляющего инвестиционным портфелем (УИП),
# возврат в НБРК, отзыв заявления о переводе в УИП, добровольные пенсионные взносы (ДПВ).

transfers-kind-manager-choice = Выбрать или сменить управляющего (УИП)
transfers-kind-return = Вернуть накопления в управление НБРК
transfers-kind-cancel = Отозвать заявление о переводе в УИП
transfers-kind-contribution = Внести добровольные пенсионные взносы (ДПВ)

transfers-button-abandon = ✕ Отменить
transfers-button-confirm = ✅ Подтвердить
transfers-abandoned = Заявление не подано.
transfers-confirm-prompt = Если всё верно, нажмите «Подтвердить»: заявление получит номер, и его нужно будет подписать ЭЦП.

transfers-savings-mandatory = ОПВ и ОППВ
transfers-savings-voluntary = ДПВ
transfers-choice-savings-prompt =
    Какие накопления передать частному управляющему инвестиционным портфелем?
    • ОПВ и ОППВ — не более 50%, остальное остаётся в доверительном управлении Национального Банка;
    • ДПВ — до 100%.
transfers-choice-manager-prompt = Выберите управляющего инвестиционным портфелем для накоплений: { $savings }.
transfers-manager-button = { $name }
transfers-choice-share-prompt = Какую долю накоплений ({ $savings }) передать в { $manager }? Напишите целое число процентов от 1 до { $max } или выберите ниже.
transfers-share-button = { $percent }%
transfers-share-not-a-number = Напишите долю целым числом процентов от 1 до { $max }, например 30.
transfers-share-not-whole = Доля указывается целым числом процентов, без дробей, например 30.
transfers-share-zero = Доля должна быть не меньше 1% (и не больше { $max }%).
transfers-share-over-mandatory = Частному управляющему можно передать не более { $max }% накоплений ОПВ и ОППВ; остальное остаётся в Национальном Банке. Укажите долю от 1 до { $max }.
transfers-share-over-voluntary = Доля не может быть больше { $max }%.
transfers-choice-summary =
    Проверьте заявление о выборе управляющего инвестиционным портфелем:
    Вкладчик: { $name }, ИИН { $iin }
    Накопления: { $savings }
    Управляющий: { $manager }
    Доля: { $share }%
transfers-choice-rest-mandatory = Остальные { $rest }% накоплений ОПВ и ОППВ остаются в доверительном управлении Национального Банка.
transfers-choice-rest-voluntary = { $rest ->
    [0] Все накопления ДПВ перейдут к выбранному управляющему.
   *[other] Остальные { $rest }% накоплений ДПВ остаются у нынешнего управляющего.
}
transfers-manager-terms = Фонд переводит накопления в течение 30 дней после принятия заявления. Новое заявление о смене управляющего можно подать не раньше чем через год после перевода; пока заявление не исполнено, его можно отозвать.

transfers-refused-within-year = С последнего перевода накоплений между управляющими ({ $last }) не прошёл год. Новое заявление можно подать с { $allowed }.
transfers-refused-pending = У вас уже есть заявление о переводе накоплений { $number } (статус: { $status }). Дождитесь его исполнения или отзовите его.
transfers-refused-no-savings = У вас нет накоплений ОПВ или ОППВ, которые можно передать управляющему.
transfers-refused-no-managers = Сейчас нет других управляющих, которым можно передать эти накопления.
transfers-return-nothing = Все ваши накопления уже в доверительном управлении Национального Банка — возвращать нечего.
transfers-return-summary =
    Проверьте заявление о возврате накоплений в доверительное управление Национального Банка:
    Вкладчик: { $name }, ИИН { $iin }
    Вернутся в НБРК все накопления:
    { $items }
transfers-return-item = • { $account } — сейчас у { $manager }

transfers-cancel-nothing = Отзывать нечего: у вас нет заявлений о переводе в УИП, которые приняты или на рассмотрении и ещё не исполнены.
transfers-cancel-already = Отзыв заявления { $number } уже подан; других заявлений, которые можно отозвать, нет.
transfers-cancel-prompt =
    Заявления, которые ещё можно отозвать:
    { $items }

    Выберите заявление, которое хотите отозвать.
transfers-cancel-item = • { $number } — { $kind }, { $date }: { $status }
transfers-cancel-button = Отозвать { $number }
transfers-cancel-summary =
    Проверьте заявление об отзыве:
    Вкладчик: { $name }, ИИН { $iin }
    Отзывается заявление:
    { $target }
    Когда фонд примет отзыв, это заявление будет аннулировано.
transfers-cancel-no-longer = Заявление { $number } уже нельзя отозвать: его статус изменился.

transfers-contribution-no-account = У вас нет счёта добровольных пенсионных взносов (ДПВ). Чтобы его открыть, заключите с фондом договор о ДПВ в любом отделении ЕНПФ.
transfers-contribution-amount-prompt = Какую сумму вы хотите внести на свой счёт ДПВ? Напишите её в тенге, например 15 000 (от { $min } до { $max }).
transfers-amount-not-a-number = Напишите сумму числом в тенге, например 15 000 или 15 000,50.
transfers-amount-decimals = После запятой — не больше двух цифр (тиыны).
transfers-amount-grouping = Разряды разделяются по три цифры, например 1 500 000.
transfers-amount-too-large = Сумма слишком большая.
transfers-amount-below-min = Минимальная сумма взноса через бот — { $min }.
transfers-amount-above-max = Максимальная сумма одного взноса через бот — { $max }. Большую сумму можно внести несколькими платежами.
transfers-contribution-summary =
    Проверьте заявление о добровольных пенсионных взносах:
    Вкладчик: { $name }, ИИН { $iin }
    Сумма: { $amount }
    На свой счёт ДПВ в { $recipient }
transfers-contribution-details =
    Реквизиты для перевода добровольных пенсионных взносов:
    Получатель: { $recipient }
    БИН: { $bin }
    ИИК: { $iban }
    БИК: { $bic }
    КБе: { $kbe }
    КНП: { $knp }
    Сумма: { $amount }
    Назначение платежа: { $purpose }
transfers-contribution-verify = ⚠️ Перед оплатой сверьте реквизиты с указанными на сайте enpf.kz.
transfers-contribution-recorded-later = Взнос появится на вашем счёте ДПВ, когда фонд получит платёж и отразит его в своей системе; мы сообщим вам об этом.
transfers-button-pay = 💳 Оплатить

doc-field-savings = Накопления
doc-field-accounts = Счета
doc-field-manager = Код управляющего
doc-field-manager-name = Управляющий
doc-field-share-percent = Доля, %
doc-field-target-number = Номер отзываемого заявления
doc-field-target-kind = Вид отзываемого заявления
doc-field-target-created-at = Дата отзываемого заявления
doc-field-account = Счёт
doc-field-recipient = Получатель
doc-field-recipient-bin = БИН получателя
doc-field-recipient-iban = ИИК получателя
doc-field-recipient-bic = БИК банка получателя
doc-field-kbe = КБе
doc-field-knp = КНП
doc-field-payment-purpose = Назначение платежа
