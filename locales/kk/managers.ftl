# Жинақтарды аудару туралы өтініштер: инвестициялық портфельді басқарушыны (ИПБ) таңдау және
# өзгерту, ҚРҰБ-ға қайтару, ИПБ-ға аудару туралы өтініштің күшін жою, ерікті зейнетақы жарналары (ЕЗЖ).

transfers-kind-manager-choice = Басқарушыны (ИПБ) таңдау немесе өзгерту
transfers-kind-return = Жинақтарды ҚРҰБ басқаруына қайтару
transfers-kind-cancel = ИПБ-ға аудару туралы өтініштің күшін жою
transfers-kind-contribution = Ерікті зейнетақы жарналарын (ЕЗЖ) енгізу

transfers-button-abandon = ✕ Бас тарту
transfers-button-confirm = ✅ Растау
transfers-abandoned = Өтініш берілген жоқ.
transfers-confirm-prompt = Бәрі дұрыс болса, «Растау» батырмасын басыңыз: өтінішке нөмір беріледі, содан кейін оған ЭЦҚ-мен қол қою керек.

transfers-savings-mandatory = МЗЖ және МКЗЖ
transfers-savings-voluntary = ЕЗЖ
transfers-choice-savings-prompt =
    Қандай жинақтарды жеке инвестициялық портфельді басқарушыға береміз?
    • МЗЖ және МКЗЖ — 50%-дан аспайды, қалғаны Ұлттық Банктің сенімгерлік басқаруында қалады;
    • ЕЗЖ — 100%-ға дейін.
transfers-choice-manager-prompt = Жинақтарға ({ $savings }) инвестициялық портфельді басқарушыны таңдаңыз.
transfers-manager-button = { $name }
transfers-choice-share-prompt = Жинақтардың ({ $savings }) қандай үлесін { $manager } басқаруына береміз? 1-ден { $max }-ге дейінгі пайыздың бүтін санын жазыңыз немесе төменнен таңдаңыз.
transfers-share-button = { $percent }%
transfers-share-not-a-number = Үлесті 1-ден { $max }-ге дейінгі пайыздың бүтін санымен жазыңыз, мысалы 30.
transfers-share-not-whole = Үлес бөлшексіз, пайыздың бүтін санымен көрсетіледі, мысалы 30.
transfers-share-zero = Үлес кемінде 1% (және { $max }%-дан аспауы) керек.
transfers-share-over-mandatory = Жеке басқарушыға МЗЖ мен МКЗЖ жинақтарының { $max }%-нан артығын беруге болмайды; қалғаны Ұлттық Банкте қалады. 1-ден { $max }-ге дейінгі үлесті көрсетіңіз.
transfers-share-over-voluntary = Үлес { $max }%-дан аспауы керек.
transfers-choice-summary =
    Инвестициялық портфельді басқарушыны таңдау туралы өтінішті тексеріңіз:
    Салымшы: { $name }, ЖСН { $iin }
    Жинақтар: { $savings }
    Басқарушы: { $manager }
    Үлесі: { $share }%
transfers-choice-rest-mandatory = МЗЖ мен МКЗЖ жинақтарының қалған { $rest }%-ы Ұлттық Банктің сенімгерлік басқаруында қалады.
transfers-choice-rest-voluntary = { $rest ->
    [0] ЕЗЖ жинақтарының барлығы таңдалған басқарушыға өтеді.
   *[other] ЕЗЖ жинақтарының қалған { $rest }%-ы қазіргі басқарушыда қалады.
}
transfers-manager-terms = Қор жинақтарды өтініш қабылданғаннан кейін 30 күн ішінде аударады. Басқарушыны өзгерту туралы жаңа өтінішті аударудан кейін бір жылдан ерте беруге болмайды; өтініш орындалғанға дейін оның күшін жоюға болады.

transfers-refused-within-year = Жинақтарды басқарушылар арасында соңғы аударғаннан ({ $last }) бері бір жыл өткен жоқ. Жаңа өтінішті { $allowed } бастап беруге болады.
transfers-refused-pending = Сізде жинақтарды аудару туралы { $number } өтініші бар (мәртебесі: { $status }). Оның орындалуын күтіңіз немесе күшін жойыңыз.
transfers-refused-no-savings = Сізде басқарушыға беруге болатын МЗЖ немесе МКЗЖ жинақтары жоқ.
transfers-refused-no-managers = Қазір бұл жинақтарды беруге болатын басқа басқарушы жоқ.
transfers-return-nothing = Барлық жинақтарыңыз Ұлттық Банктің сенімгерлік басқаруында — қайтаратын ештеңе жоқ.
transfers-return-summary =
    Жинақтарды Ұлттық Банктің сенімгерлік басқаруына қайтару туралы өтінішті тексеріңіз:
    Салымшы: { $name }, ЖСН { $iin }
    ҚРҰБ-ға барлық жинақтар қайтарылады:
    { $items }
transfers-return-item = • { $account } — қазір { $manager } басқаруында

transfers-cancel-nothing = Күшін жоятын өтініш жоқ: сізде қабылданған немесе қаралып жатқан, әлі орындалмаған ИПБ-ға аудару туралы өтініштер жоқ.
transfers-cancel-already = { $number } өтінішінің күшін жою туралы өтініш берілген; күшін жоюға болатын басқа өтініш жоқ.
transfers-cancel-prompt =
    Күшін әлі жоюға болатын өтініштер:
    { $items }

    Күшін жойғыңыз келетін өтінішті таңдаңыз.
transfers-cancel-item = • { $number } — { $kind }, { $date }: { $status }
transfers-cancel-button = { $number } күшін жою
transfers-cancel-summary =
    Өтініштің күшін жою туралы өтінішті тексеріңіз:
    Салымшы: { $name }, ЖСН { $iin }
    Күші жойылатын өтініш:
    { $target }
    Қор күшін жоюды қабылдағанда, бұл өтініш жойылады.
transfers-cancel-no-longer = { $number } өтінішінің күшін енді жоюға болмайды: оның мәртебесі өзгерді.

transfers-contribution-no-account = Сізде ерікті зейнетақы жарналарының (ЕЗЖ) шоты жоқ. Оны ашу үшін БЖЗҚ-ның кез келген бөлімшесінде қормен ЕЗЖ туралы шарт жасасыңыз.
transfers-contribution-amount-prompt = ЕЗЖ шотыңызға қанша сома енгізгіңіз келеді? Оны теңгемен жазыңыз, мысалы 15 000 ({ $min } бастап { $max } дейін).
transfers-amount-not-a-number = Соманы теңгемен санмен жазыңыз, мысалы 15 000 немесе 15 000,50.
transfers-amount-decimals = Үтірден кейін екі саннан (тиыннан) артық болмауы керек.
transfers-amount-grouping = Разрядтар үш саннан бөлінеді, мысалы 1 500 000.
transfers-amount-too-large = Сома тым үлкен.
transfers-amount-below-min = Бот арқылы жарнаның ең аз сомасы — { $min }.
transfers-amount-above-max = Бот арқылы бір жарнаның ең көп сомасы — { $max }. Үлкен соманы бірнеше төлеммен енгізуге болады.
transfers-contribution-summary =
    Ерікті зейнетақы жарналары туралы өтінішті тексеріңіз:
    Салымшы: { $name }, ЖСН { $iin }
    Сомасы: { $amount }
    Өз ЕЗЖ шотыңызға, алушы — { $recipient }
transfers-contribution-details =
    Ерікті зейнетақы жарналарын аударуға арналған деректемелер:
    Алушы: { $recipient }
    БСН: { $bin }
    ЖСК: { $iban }
    БСК: { $bic }
    Бенефициар коды (КБе): { $kbe }
    Төлем мақсатының коды (КНП): { $knp }
    Сомасы: { $amount }
    Төлемнің мақсаты: { $purpose }
transfers-contribution-verify = ⚠️ Төлер алдында деректемелерді enpf.kz сайтындағылармен салыстырыңыз.
transfers-contribution-recorded-later = Қор төлемді алып, оны өз жүйесінде көрсеткенде жарна ЕЗЖ шотыңызда пайда болады; бұл туралы сізге хабарлаймыз.
transfers-button-pay = 💳 Төлеу

doc-field-savings = Жинақтар
doc-field-accounts = Шоттар
doc-field-manager = Басқарушының коды
doc-field-manager-name = Басқарушы
doc-field-share-percent = Үлесі, %
doc-field-target-number = Күші жойылатын өтініштің нөмірі
doc-field-target-kind = Күші жойылатын өтініштің түрі
doc-field-target-created-at = Күші жойылатын өтініштің күні
doc-field-account = Шот
doc-field-recipient = Алушы
doc-field-recipient-bin = Алушының БСН
doc-field-recipient-iban = Алушының ЖСК
doc-field-recipient-bic = Алушы банкінің БСК
doc-field-kbe = Бенефициар коды (КБе)
doc-field-knp = Төлем мақсатының коды (КНП)
doc-field-payment-purpose = Төлемнің мақсаты
