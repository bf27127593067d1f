<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru_RU">
<context>
    <name>ColorMap</name>
    <message>
        <source>Viridis</source>
        <translation>Viridis</translation>
    </message>
    <message>
        <source>Cividis (colour-vision friendly)</source>
        <translation>Cividis (для нарушений цветового зрения)</translation>
    </message>
    <message>
        <source>Blue-white-red (diverging)</source>
        <translation>Синий–белый–красный (расходящаяся)</translation>
    </message>
</context>
<context>
    <name>LayerQuantity</name>
    <message>
        <source>Hidden-state norm</source>
        <translation>Норма скрытого состояния</translation>
    </message>
    <message>
        <source>Euclidean norm of each token&apos;s vector after each layer.</source>
        <translation>Евклидова норма вектора каждого токена после каждого слоя.</translation>
    </message>
    <message>
        <source>Cosine similarity to last layer</source>
        <translation>Косинусное сходство с последним слоем</translation>
    </message>
    <message>
        <source>How close each token&apos;s vector at a layer is to its final representation (1 = identical direction).</source>
        <translation>Насколько вектор каждого токена на данном слое близок к его итоговому представлению (1 — то же направление).</translation>
    </message>
    <message>
        <source>Change from previous layer</source>
        <translation>Изменение относительно предыдущего слоя</translation>
    </message>
    <message>
        <source>1 − cosine similarity between a token&apos;s vector at a layer and at the layer below: where the representation moves most.</source>
        <translation>1 − косинусное сходство между вектором токена на данном слое и на слое ниже: где представление меняется сильнее всего.</translation>
    </message>
    <message>
        <source>Token surprisal (PLL, bits)</source>
        <translation>Сюрпризал токенов (PLL, бит)</translation>
    </message>
    <message>
        <source>−log₂ P(token | the sentence with that token masked): where the model finds the sentence unexpected. One row; merged words sum their pieces.</source>
        <translation>−log₂ P(токен | предложение, в котором этот токен замаскирован): где модель находит предложение неожиданным. Одна строка; у объединённых слов значения частей суммируются.</translation>
    </message>
</context>
<context>
    <name>ProbeTask</name>
    <message>
        <source>Changed words</source>
        <translation>Изменённые слова</translation>
    </message>
    <message>
        <source>1 for the tokens of the words that differ between the two sentences of a pair, 0 for every other token (both sentences of every pair)</source>
        <translation>1 для токенов слов, которыми различаются два предложения пары, 0 для всех остальных токенов (оба предложения каждой пары)</translation>
    </message>
    <message>
        <source>Polypersonal verb form</source>
        <translation>Полиперсональная форма глагола</translation>
    </message>
    <message>
        <source>1 for the changed words of the polypersonal side of polypersonal pairs, 0 for every other word of those pairs</source>
        <translation>1 для изменённых слов полиперсональной стороны полиперсональных пар, 0 для всех остальных слов этих пар</translation>
    </message>
    <message>
        <source>UD feature</source>
        <translation>UD-признак</translation>
    </message>
    <message>
        <source>the value of one Universal Dependencies feature (Number, Gender, Case, Person, Tense, ...) of the words that have it (CoNLL-U datasets)</source>
        <translation>значение одного признака Universal Dependencies (Number, Gender, Case, Person, Tense, ...) у слов, у которых он есть (наборы данных CoNLL-U)</translation>
    </message>
    <message>
        <source>Part of speech</source>
        <translation>Часть речи</translation>
    </message>
    <message>
        <source>the UD part of speech of every annotated word (CoNLL-U datasets)</source>
        <translation>часть речи UD каждого размеченного слова (наборы данных CoNLL-U)</translation>
    </message>
    <message>
        <source>Grammatical sentence</source>
        <translation>Грамматичное предложение</translation>
    </message>
    <message>
        <source>1 for the grammatical, 0 for the ungrammatical sentence of every pair</source>
        <translation>1 для грамматичного, 0 для неграмматичного предложения каждой пары</translation>
    </message>
    <message>
        <source>Polypersonal sentence</source>
        <translation>Полиперсональное предложение</translation>
    </message>
    <message>
        <source>1 for the polypersonal side, 0 for the standard side of polypersonal pairs</source>
        <translation>1 для полиперсональной стороны, 0 для стандартной стороны полиперсональных пар</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>The results cache %1 is damaged or is not a Grammascope results cache.</source>
        <translation>Кэш результатов %1 повреждён или не является кэшем результатов Grammascope.</translation>
    </message>
    <message>
        <source>The results cache %1 was written by a newer version of Grammascope; this version cannot read it.</source>
        <translation>Кэш результатов %1 записан более новой версией Grammascope; эта версия не может его прочитать.</translation>
    </message>
    <message>
        <source>The results cache %1 cannot be used.</source>
        <translation>Кэш результатов %1 нельзя использовать.</translation>
    </message>
    <message>
        <source>Results cache unusable</source>
        <translation>Кэш результатов непригоден</translation>
    </message>
    <message>
        <source>&lt;p&gt;Grammascope can rename it (with its -wal and -shm files) to &lt;i&gt;%1.corrupt-&amp;lt;date&amp;gt;&lt;/i&gt; next to it and start a new, empty cache. Nothing is deleted: the old file stays readable.&lt;/p&gt;&lt;p&gt;Or continue without a cache: results are kept only until Grammascope closes, and the file is left as it is.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Grammascope может переименовать его (вместе с файлами -wal и -shm) в &lt;i&gt;%1.corrupt-&amp;lt;дата&amp;gt;&lt;/i&gt; в той же папке и начать новый, пустой кэш. Ничего не удаляется: старый файл остаётся доступным для чтения.&lt;/p&gt;&lt;p&gt;Или продолжить без кэша: результаты хранятся только до закрытия Grammascope, а файл остаётся как есть.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Move aside and start a new cache</source>
        <translation>Отложить и начать новый кэш</translation>
    </message>
    <message>
        <source>Rename %1 to a dated name next to it and create a new cache in its place</source>
        <translation>Переименовать %1, добавив дату, и создать на его месте новый кэш</translation>
    </message>
    <message>
        <source>Continue without cache</source>
        <translation>Продолжить без кэша</translation>
    </message>
    <message>
        <source>Keep results in memory for this session only; %1 is not touched</source>
        <translation>Хранить результаты в памяти только в этом сеансе; %1 не трогается</translation>
    </message>
    <message>
        <source>memory (this session only)</source>
        <translation>память (только этот сеанс)</translation>
    </message>
    <message>
        <source>Clear cache</source>
        <translation>Очистить кэш</translation>
    </message>
    <message numerus="yes">
        <source>Delete %n cached result(s) from %1?</source>
        <translation>
            <numerusform>Удалить %n сохранённый результат из %1?</numerusform>
            <numerusform>Удалить %n сохранённых результата из %1?</numerusform>
            <numerusform>Удалить %n сохранённых результатов из %1?</numerusform>
        </translation>
    </message>
    <message>
        <source>&lt;p&gt;%1 of results in %2 analysis run(s) will be deleted; the file is %3 now. They are computed again when needed.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Будут удалены результаты объёмом %1 из запусков анализа (%2); сейчас размер файла — %3. При необходимости они будут вычислены заново.&lt;/p&gt;</translation>
    </message>
    <message numerus="yes">
        <source>&lt;p&gt;Kept: the models and datasets it knows, and %n trained artefact(s).&lt;/p&gt;</source>
        <translation>
            <numerusform>&lt;p&gt;Сохраняются: известные кэшу модели и наборы данных, а также %n обученный артефакт.&lt;/p&gt;</numerusform>
            <numerusform>&lt;p&gt;Сохраняются: известные кэшу модели и наборы данных, а также %n обученных артефакта.&lt;/p&gt;</numerusform>
            <numerusform>&lt;p&gt;Сохраняются: известные кэшу модели и наборы данных, а также %n обученных артефактов.&lt;/p&gt;</numerusform>
        </translation>
    </message>
    <message>
        <source>&lt;p&gt;Kept: the models and datasets it knows.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Сохраняются: известные кэшу модели и наборы данных.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;The running dataset job is stopped first.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Сначала будет остановлено выполняющееся задание по набору данных.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Delete results</source>
        <translation>Удалить результаты</translation>
    </message>
    <message>
        <source>Delete every cached result now</source>
        <translation>Удалить все сохранённые в кэше результаты сейчас</translation>
    </message>
    <message>
        <source> — lemma &lt;i&gt;%1&lt;/i&gt;</source>
        <translation> — лемма &lt;i&gt;%1&lt;/i&gt;</translation>
    </message>
    <message>
        <source>relation &lt;i&gt;%1&lt;/i&gt;</source>
        <translation>отношение &lt;i&gt;%1&lt;/i&gt;</translation>
    </message>
    <message>
        <source> of «%1»</source>
        <translation> от «%1»</translation>
    </message>
</context>
<context>
    <name>gs::ui</name>
    <message>
        <source>UD feature: %1</source>
        <translation>UD-признак: %1</translation>
    </message>
    <message>
        <source>sentence (first token)</source>
        <translation>предложение (первый токен)</translation>
    </message>
    <message>
        <source>sentence (mean of tokens)</source>
        <translation>предложение (среднее по токенам)</translation>
    </message>
    <message>
        <source>word (first piece)</source>
        <translation>слово (первая часть)</translation>
    </message>
    <message>
        <source>word (mean of pieces)</source>
        <translation>слово (среднее по частям)</translation>
    </message>
    <message>
        <source>token</source>
        <translation>токен</translation>
    </message>
    <message>
        <source>MLP (%1 hidden)</source>
        <translation>MLP (%1 скрытых нейронов)</translation>
    </message>
    <message>
        <source>linear</source>
        <translation>линейный</translation>
    </message>
    <message>
        <source>%1 examples</source>
        <translation>%1 примеров</translation>
    </message>
    <message>
        <source>best %1 at the embeddings</source>
        <translation>лучшая точность %1 на эмбеддингах</translation>
    </message>
    <message>
        <source>best %1 at layer %2</source>
        <translation>лучшая точность %1 на слое %2</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>Задача</translation>
    </message>
    <message>
        <source>Dataset</source>
        <translation>Набор данных</translation>
    </message>
    <message>
        <source>Classes</source>
        <translation>Классы</translation>
    </message>
    <message>
        <source>Examples</source>
        <translation>Примеры</translation>
    </message>
    <message>
        <source>%1 from %2 sentences</source>
        <translation>%1 из %2 предложений</translation>
    </message>
    <message>
        <source>control task</source>
        <translation>контрольная задача</translation>
    </message>
    <message>
        <source>MDL</source>
        <translation>MDL</translation>
    </message>
    <message>
        <source>sliced MI</source>
        <translation>SMI (срезовая взаимная информация)</translation>
    </message>
    <message>
        <source>learning curve at layer %1</source>
        <translation>кривая обучения на слое %1</translation>
    </message>
    <message>
        <source>Probe</source>
        <translation>Зонд</translation>
    </message>
    <message>
        <source>%1, λ = %2, seed %3</source>
        <translation>%1, λ = %2, сид %3</translation>
    </message>
    <message>
        <source>Measured</source>
        <translation>Измерено</translation>
    </message>
    <message>
        <source>Training time</source>
        <translation>Время обучения</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 с</translation>
    </message>
    <message>
        <source>Trained</source>
        <translation>Обучен</translation>
    </message>
</context>
<context>
    <name>gs::ui::AnalysisWorker</name>
    <message>
        <source>unknown error</source>
        <translation>неизвестная ошибка</translation>
    </message>
    <message>
        <source>no model is loaded</source>
        <translation>модель не загружена</translation>
    </message>
    <message>
        <source>no analysis to run</source>
        <translation>нет анализа для запуска</translation>
    </message>
    <message>
        <source>Not saved in the cache: %1</source>
        <translation>Не сохранено в кэше: %1</translation>
    </message>
    <message>
        <source>no cache is open</source>
        <translation>кэш не открыт</translation>
    </message>
    <message>
        <source>another model was loaded before the probes were trained</source>
        <translation>до обучения зондов была загружена другая модель</translation>
    </message>
    <message>
        <source>no results store is open</source>
        <translation>хранилище результатов не открыто</translation>
    </message>
    <message>
        <source>the probe set was trained on another model</source>
        <translation>набор зондов обучен на другой модели</translation>
    </message>
    <message>
        <source>another model was loaded before the sparse autoencoders were trained</source>
        <translation>до окончания обучения разреженных автокодировщиков была загружена другая модель</translation>
    </message>
    <message>
        <source>the SAE set has no autoencoder for layer %1</source>
        <translation>в наборе SAE нет автокодировщика для слоя %1</translation>
    </message>
</context>
<context>
    <name>gs::ui::CacheStatsDialog</name>
    <message>
        <source>Cache statistics</source>
        <translation>Статистика кэша</translation>
    </message>
    <message>
        <source>File:</source>
        <translation>Файл:</translation>
    </message>
    <message>
        <source>none: in memory for this session only</source>
        <translation>нет: в памяти только в этом сеансе</translation>
    </message>
    <message>
        <source>Size on disk:</source>
        <translation>Размер на диске:</translation>
    </message>
    <message>
        <source>The database file and its write-ahead log</source>
        <translation>Файл базы данных и его журнал упреждающей записи (WAL)</translation>
    </message>
    <message>
        <source>In use:</source>
        <translation>Занято:</translation>
    </message>
    <message>
        <source>Pages holding data; this is what the size limit counts</source>
        <translation>Страницы с данными; именно их учитывает предел размера</translation>
    </message>
    <message>
        <source>Size limit:</source>
        <translation>Предел размера:</translation>
    </message>
    <message>
        <source>none</source>
        <translation>нет</translation>
    </message>
    <message>
        <source>Above it the least recently used results of finished runs are deleted</source>
        <translation>При его превышении удаляются давно не использовавшиеся результаты завершённых запусков</translation>
    </message>
    <message>
        <source>Over the limit:</source>
        <translation>Превышение предела:</translation>
    </message>
    <message>
        <source>yes: only results of unfinished runs and artefacts remain</source>
        <translation>да: остались только результаты незавершённых запусков и артефакты</translation>
    </message>
    <message>
        <source>Results:</source>
        <translation>Результаты:</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Analysis runs:</source>
        <translation>Запуски анализа:</translation>
    </message>
    <message>
        <source>%1 (%2 finished, %3 in progress or stopped)</source>
        <translation>%1 (%2 завершено, %3 выполняются или остановлены)</translation>
    </message>
    <message>
        <source>Sentences:</source>
        <translation>Предложения:</translation>
    </message>
    <message>
        <source>Models:</source>
        <translation>Модели:</translation>
    </message>
    <message>
        <source>Datasets:</source>
        <translation>Наборы данных:</translation>
    </message>
    <message>
        <source>Artefacts:</source>
        <translation>Артефакты:</translation>
    </message>
    <message>
        <source>Evicted this session:</source>
        <translation>Вытеснено в этом сеансе:</translation>
    </message>
    <message>
        <source>Schema version:</source>
        <translation>Версия схемы:</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Копировать</translation>
    </message>
    <message>
        <source>Copy these figures as text</source>
        <translation>Скопировать эти показатели как текст</translation>
    </message>
</context>
<context>
    <name>gs::ui::ColumnMappingDialog</name>
    <message>
        <source>grammatical</source>
        <translation>грамматичное</translation>
    </message>
    <message>
        <source>ungrammatical</source>
        <translation>неграмматичное</translation>
    </message>
    <message>
        <source>id</source>
        <translation>идентификатор</translation>
    </message>
    <message>
        <source>phenomenon</source>
        <translation>явление</translation>
    </message>
    <message>
        <source>Columns of %1</source>
        <translation>Столбцы файла %1</translation>
    </message>
    <message>
        <source>Grammascope does not know the columns of &lt;b&gt;%1&lt;/b&gt;. Choose the column that holds each sentence of a pair (only the grammatical one for a file of single sentences); id and phenomenon are optional.</source>
        <translation>Grammascope не знает, какие столбцы есть в &lt;b&gt;%1&lt;/b&gt;. Выберите столбец, в котором находится каждое предложение пары (для файла с отдельными предложениями — только грамматичное); идентификатор и явление необязательны.</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>Автоматически</translation>
    </message>
    <message>
        <source>Comma ( , )</source>
        <translation>Запятая ( , )</translation>
    </message>
    <message>
        <source>Tab</source>
        <translation>Табуляция</translation>
    </message>
    <message>
        <source>Semicolon ( ; )</source>
        <translation>Точка с запятой ( ; )</translation>
    </message>
    <message>
        <source>Vertical bar ( | )</source>
        <translation>Вертикальная черта ( | )</translation>
    </message>
    <message>
        <source>What separates the fields; Automatic takes a tab if the first line has one, else a comma</source>
        <translation>Чем разделены поля; «Автоматически» выбирает табуляцию, если она есть в первой строке, иначе запятую</translation>
    </message>
    <message>
        <source>First row is a &amp;header</source>
        <translation>Первая строка — &amp;заголовок</translation>
    </message>
    <message>
        <source>The first row names the columns (otherwise columns are numbered from 1)</source>
        <translation>Первая строка содержит названия столбцов (иначе столбцы нумеруются с 1)</translation>
    </message>
    <message>
        <source>The column with the grammatical sentence (required)</source>
        <translation>Столбец с грамматичным предложением (обязателен)</translation>
    </message>
    <message>
        <source>The column with the ungrammatical sentence; none for single sentences</source>
        <translation>Столбец с неграмматичным предложением; «нет» — для отдельных предложений</translation>
    </message>
    <message>
        <source>The column with each record&apos;s id; none: the line number</source>
        <translation>Столбец с идентификатором записи; «нет» — номер строки</translation>
    </message>
    <message>
        <source>The column naming the phenomenon; none: the file name</source>
        <translation>Столбец с названием явления; «нет» — имя файла</translation>
    </message>
    <message>
        <source>&amp;Delimiter:</source>
        <translation>&amp;Разделитель:</translation>
    </message>
    <message>
        <source>G&amp;rammatical sentence:</source>
        <translation>&amp;Грамматичное предложение:</translation>
    </message>
    <message>
        <source>U&amp;ngrammatical sentence:</source>
        <translation>&amp;Неграмматичное предложение:</translation>
    </message>
    <message>
        <source>&amp;Id:</source>
        <translation>&amp;Идентификатор:</translation>
    </message>
    <message>
        <source>&amp;Phenomenon:</source>
        <translation>&amp;Явление:</translation>
    </message>
    <message>
        <source>The first %1 records of the file as they will be read</source>
        <translation>Первые %1 записей файла в том виде, в каком они будут прочитаны</translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation>&amp;Открыть</translation>
    </message>
    <message>
        <source>Read the file with these columns</source>
        <translation>Прочитать файл с этими столбцами</translation>
    </message>
    <message>
        <source>Do not open the file (Esc)</source>
        <translation>Не открывать файл (Esc)</translation>
    </message>
    <message>
        <source>(none: single sentences)</source>
        <translation>(нет: отдельные предложения)</translation>
    </message>
    <message>
        <source>(none: the line number)</source>
        <translation>(нет: номер строки)</translation>
    </message>
    <message>
        <source>(none: the file name)</source>
        <translation>(нет: имя файла)</translation>
    </message>
    <message>
        <source>Column %1</source>
        <translation>Столбец %1</translation>
    </message>
    <message>
        <source>The file has no columns to map.</source>
        <translation>В файле нет столбцов для сопоставления.</translation>
    </message>
    <message>
        <source>Choose the column of the grammatical sentence.</source>
        <translation>Выберите столбец с грамматичным предложением.</translation>
    </message>
    <message>
        <source>The grammatical and the ungrammatical sentence must come from different columns.</source>
        <translation>Грамматичное и неграмматичное предложения должны находиться в разных столбцах.</translation>
    </message>
</context>
<context>
    <name>gs::ui::DatasetBrowser</name>
    <message>
        <source>Open datasets: Ctrl+PgUp / Ctrl+PgDown switch, Ctrl+W closes the current one</source>
        <translation>Открытые наборы данных: Ctrl+PgUp / Ctrl+PgDown — переключение, Ctrl+W закрывает текущий</translation>
    </message>
    <message>
        <source>Phe&amp;nomenon:</source>
        <translation>&amp;Явление:</translation>
    </message>
    <message>
        <source>Show the items of one phenomenon (with the number of items of each)</source>
        <translation>Показать элементы одного явления (с числом элементов каждого)</translation>
    </message>
    <message>
        <source>Search id or sentence (Ctrl+F)</source>
        <translation>Поиск: ID или текст (Ctrl+F)</translation>
    </message>
    <message>
        <source>Show the items whose id or sentences contain this text (case-insensitive; ё matches е)</source>
        <translation>Показать элементы, идентификатор или предложения которых содержат этот текст (без учёта регистра; ё совпадает с е)</translation>
    </message>
    <message>
        <source>Open another dataset: CSV, TSV, BLiMP JSONL, plain text or CoNLL-U (Ctrl+P)</source>
        <translation>Открыть ещё один набор данных: CSV, TSV, BLiMP JSONL, простой текст или CoNLL-U (Ctrl+P)</translation>
    </message>
    <message>
        <source>Save the pairs of this dataset as a Grammascope CSV file (Ctrl+Shift+S)</source>
        <translation>Сохранить пары этого набора данных в CSV-файл Grammascope (Ctrl+Shift+S)</translation>
    </message>
    <message>
        <source>Run dataset</source>
        <translation>Прогнать набор данных</translation>
    </message>
    <message>
        <source>Compute the chosen analyses for every sentence of this dataset in the background and keep them in the cache (Ctrl+R); a cancelled run continues where it stopped</source>
        <translation>Вычислить выбранные анализы для каждого предложения этого набора данных в фоновом режиме и сохранить их в кэше (Ctrl+R); отменённый прогон продолжится с места остановки</translation>
    </message>
    <message>
        <source>Choose an item to see it below and its heatmap above; click a column title to sort (a third click goes back to the file order). Alt+Up / Alt+Down step through the rows.</source>
        <translation>Выберите элемент, чтобы увидеть его ниже, а его тепловую карту — выше; щелчок по заголовку столбца сортирует (третий щелчок возвращает порядок файла). Alt+Вверх / Alt+Вниз — переход по строкам.</translation>
    </message>
    <message>
        <source>&lt;p&gt;No dataset open.&lt;/p&gt;&lt;p&gt;&lt;a href=&quot;open&quot;&gt;Open a dataset…&lt;/a&gt; (Ctrl+P) or drop a CSV, TSV, JSONL, text or CoNLL-U file on the window.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Набор данных не открыт.&lt;/p&gt;&lt;p&gt;&lt;a href=&quot;open&quot;&gt;Откройте набор данных…&lt;/a&gt; (Ctrl+P) или перетащите в окно файл CSV, TSV, JSONL, текстовый файл или CoNLL-U.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Items shown after the phenomenon filter and the search, of all items in the dataset</source>
        <translation>Элементы, оставшиеся после фильтра по явлению и поиска, из всех элементов набора данных</translation>
    </message>
    <message>
        <source>A dataset is being read in the background; the window stays usable</source>
        <translation>Набор данных читается в фоновом режиме; окном можно пользоваться</translation>
    </message>
    <message>
        <source>generated, not saved</source>
        <translation>сгенерирован, не сохранён</translation>
    </message>
    <message numerus="yes">
        <source>%1
%2 — %n item(s)</source>
        <translation>
            <numerusform>%1
%2 — %n элемент</numerusform>
            <numerusform>%1
%2 — %n элемента</numerusform>
            <numerusform>%1
%2 — %n элементов</numerusform>
        </translation>
    </message>
    <message>
        <source>Cached</source>
        <translation>В кэше</translation>
    </message>
    <message>
        <source>All phenomena (%1)</source>
        <translation>Все явления (%1)</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(нет)</translation>
    </message>
    <message numerus="yes">
        <source>%n item(s) of %1</source>
        <translation>
            <numerusform>%n элемент из %1</numerusform>
            <numerusform>%n элемента из %1</numerusform>
            <numerusform>%n элементов из %1</numerusform>
        </translation>
    </message>
    <message>
        <source>The chosen item is filtered out: choose another.</source>
        <translation>Выбранный элемент скрыт фильтром: выберите другой.</translation>
    </message>
    <message>
        <source>%1 of %2 sentences</source>
        <translation>%1 из %2 предложений</translation>
    </message>
    <message>
        <source>%1 of %2 pairs</source>
        <translation>%1 из %2 пар</translation>
    </message>
    <message>
        <source>%1 cached</source>
        <translation>%1 в кэше</translation>
    </message>
    <message numerus="yes">
        <source>%n record(s) skipped</source>
        <translation>
            <numerusform>%n запись пропущена</numerusform>
            <numerusform>%n записи пропущены</numerusform>
            <numerusform>%n записей пропущено</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n warning(s)</source>
        <translation>
            <numerusform>%n предупреждение</numerusform>
            <numerusform>%n предупреждения</numerusform>
            <numerusform>%n предупреждений</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>… and %n more</source>
        <translation>
            <numerusform>… и ещё %n</numerusform>
            <numerusform>… и ещё %n</numerusform>
            <numerusform>… и ещё %n</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>gs::ui::DatasetIssuesDialog</name>
    <message>
        <source>Problems in %1</source>
        <translation>Проблемы в %1</translation>
    </message>
    <message numerus="yes">
        <source>%n record(s) of %1 could not be read and will be skipped.</source>
        <translation>
            <numerusform>%n запись из %1 не удалось прочитать, она будет пропущена.</numerusform>
            <numerusform>%n записи из %1 не удалось прочитать, они будут пропущены.</numerusform>
            <numerusform>%n записей из %1 не удалось прочитать, они будут пропущены.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n warning(s).</source>
        <translation>
            <numerusform>%n предупреждение.</numerusform>
            <numerusform>%n предупреждения.</numerusform>
            <numerusform>%n предупреждений.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>The %n valid record(s) can still be loaded.</source>
        <translation>
            <numerusform>%n корректную запись всё же можно загрузить.</numerusform>
            <numerusform>%n корректные записи всё же можно загрузить.</numerusform>
            <numerusform>%n корректных записей всё же можно загрузить.</numerusform>
        </translation>
    </message>
    <message>
        <source>Every problem found, as file:line: severity: message (select and copy as you like)</source>
        <translation>Все найденные проблемы в виде файл:строка: серьёзность: сообщение (выделяйте и копируйте как угодно)</translation>
    </message>
    <message numerus="yes">
        <source>… and %n more</source>
        <translation>
            <numerusform>… и ещё %n</numerusform>
            <numerusform>… и ещё %n</numerusform>
            <numerusform>… и ещё %n</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>&amp;Load %n valid record(s)</source>
        <translation>
            <numerusform>&amp;Загрузить %n корректную запись</numerusform>
            <numerusform>&amp;Загрузить %n корректные записи</numerusform>
            <numerusform>&amp;Загрузить %n корректных записей</numerusform>
        </translation>
    </message>
    <message>
        <source>Open the dataset without the records listed as errors</source>
        <translation>Открыть набор данных без записей, отмеченных как ошибочные</translation>
    </message>
    <message>
        <source>Do not open the file (Esc)</source>
        <translation>Не открывать файл (Esc)</translation>
    </message>
    <message>
        <source>&amp;Copy list</source>
        <translation>&amp;Копировать список</translation>
    </message>
    <message>
        <source>Copy every listed problem to the clipboard</source>
        <translation>Скопировать все перечисленные проблемы в буфер обмена</translation>
    </message>
</context>
<context>
    <name>gs::ui::DatasetModel</name>
    <message>
        <source>In the cache: its heatmaps show at once</source>
        <translation>В кэше: его тепловые карты показываются сразу</translation>
    </message>
    <message>
        <source>Both sentences are in the cache: their heatmaps show at once</source>
        <translation>Оба предложения в кэше: их тепловые карты показываются сразу</translation>
    </message>
    <message>
        <source>The grammatical sentence is in the cache; the other is not yet</source>
        <translation>Грамматичное предложение в кэше, другое — пока нет</translation>
    </message>
    <message>
        <source>The ungrammatical sentence is in the cache; the other is not yet</source>
        <translation>Неграмматичное предложение в кэше, другое — пока нет</translation>
    </message>
    <message>
        <source>Not in the cache yet: Analysis › Run dataset (Ctrl+R) computes it</source>
        <translation>Пока не в кэше: его вычисляет «Анализ › Прогнать набор данных» (Ctrl+R)</translation>
    </message>
    <message>
        <source>&lt;p&gt;✓ %1&lt;br&gt;✗ %2&lt;/p&gt;</source>
        <translation>&lt;p&gt;✓ %1&lt;br&gt;✗ %2&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;Changed: %1&lt;/p&gt;</source>
        <translation>&lt;p&gt;Изменено: %1&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;Line %1 of the file.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Строка %1 файла.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;UD: the words carry Universal Dependencies annotation.&lt;/p&gt;</source>
        <translation>&lt;p&gt;UD: слова снабжены разметкой Universal Dependencies.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Phenomenon</source>
        <translation>Явление</translation>
    </message>
    <message>
        <source>Sentence</source>
        <translation>Предложение</translation>
    </message>
    <message>
        <source>Grammatical</source>
        <translation>Грамматичное</translation>
    </message>
    <message>
        <source>Ungrammatical</source>
        <translation>Неграмматичное</translation>
    </message>
    <message>
        <source>Changed</source>
        <translation>Изменено</translation>
    </message>
    <message>
        <source>Cached</source>
        <translation>В кэше</translation>
    </message>
    <message>
        <source>The item&apos;s id in the file (sorted in natural order; UD marks annotated items)</source>
        <translation>Идентификатор элемента в файле (естественная сортировка; UD отмечает размеченные элементы)</translation>
    </message>
    <message>
        <source>The grammatical phenomenon the pair tests</source>
        <translation>Грамматическое явление, которое проверяет пара</translation>
    </message>
    <message>
        <source>The sentence</source>
        <translation>Предложение</translation>
    </message>
    <message>
        <source>The acceptable sentence of the pair</source>
        <translation>Приемлемое предложение пары</translation>
    </message>
    <message>
        <source>The minimally different unacceptable sentence</source>
        <translation>Минимально отличающееся неприемлемое предложение</translation>
    </message>
    <message>
        <source>The words that differ between the two sentences (grammatical → ungrammatical)</source>
        <translation>Слова, которыми различаются два предложения (грамматичное → неграмматичное)</translation>
    </message>
    <message>
        <source>Whether the results of a dataset run are in the cache: ● both sentences, ◐ one of them</source>
        <translation>Есть ли в кэше результаты прогона набора данных: ● оба предложения, ◐ одно из них</translation>
    </message>
</context>
<context>
    <name>gs::ui::DatasetOpener</name>
    <message>
        <source>%1: no such file, or it cannot be read.</source>
        <translation>%1: файл не существует или не читается.</translation>
    </message>
    <message>
        <source>%1: no such file.</source>
        <translation>%1: файл не существует.</translation>
    </message>
</context>
<context>
    <name>gs::ui::HeatmapWidget</name>
    <message>
        <source>Scroll through the tokens of a long sentence (the mouse wheel over the plot works too)</source>
        <translation>Прокрутка токенов длинного предложения (колесо мыши над графиком тоже работает)</translation>
    </message>
    <message>
        <source>Value of the cell under the mouse, or of the selected cell</source>
        <translation>Значение ячейки под указателем мыши или выбранной ячейки</translation>
    </message>
    <message>
        <source>Token</source>
        <translation>Токен</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>Слой</translation>
    </message>
    <message>
        <source>No heatmap yet.
Open a model folder (File › Open model folder…), type a sentence and press Run.</source>
        <translation>Тепловой карты пока нет.
Откройте папку модели («Файл › Открыть папку модели…»), введите предложение и нажмите «Запустить».</translation>
    </message>
    <message>
        <source>Hover a cell to see its value; click to select it.</source>
        <translation>Наведите указатель на ячейку, чтобы увидеть её значение; щелчок выбирает её.</translation>
    </message>
    <message>
        <source>embeddings</source>
        <translation>эмбеддинги</translation>
    </message>
    <message>
        <source>%1 (#%2) · layer %3 · %4 = %5</source>
        <translation>%1 (№%2) · слой %3 · %4 = %5</translation>
    </message>
    <message>
        <source>There is no heatmap to export yet.</source>
        <translation>Экспортировать пока нечего: тепловой карты нет.</translation>
    </message>
    <message>
        <source>Unknown export format &quot;%1&quot;: use .png, .pdf or .svg.</source>
        <translation>Неизвестный формат экспорта «%1»: используйте .png, .pdf или .svg.</translation>
    </message>
    <message>
        <source>Could not write %1.</source>
        <translation>Не удалось записать %1.</translation>
    </message>
    <message>
        <source>Token x layer heatmap exported by Grammascope</source>
        <translation>Тепловая карта «токен × слой», экспортированная Grammascope</translation>
    </message>
    <message>
        <source>n/a</source>
        <translation>н/д</translation>
    </message>
</context>
<context>
    <name>gs::ui::LocalizePanel</name>
    <message>
        <source>The pairs to train on: the category&apos;s pairs (grammatical sentence, then its twin with the category).</source>
        <translation>Пары для обучения: пары категории (грамматичное предложение и его двойник с категорией).</translation>
    </message>
    <message>
        <source>The encoder layer that is trained (0-based); every other parameter stays frozen. The reference run trains layer 3 of 12.</source>
        <translation>Обучаемый слой энкодера (нумерация с 0); все остальные параметры заморожены. В эталонном запуске обучается слой 3 из 12.</translation>
    </message>
    <message>
        <source>Optimizer steps (linear warm-up over the first 10%, then linear decay).</source>
        <translation>Шаги оптимизатора (линейный разогрев на первых 10%, затем линейное затухание).</translation>
    </message>
    <message>
        <source>Adam&apos;s peak learning rate (reference: 1e-5).</source>
        <translation>Пиковая скорость обучения Adam (в эталоне: 1e-5).</translation>
    </message>
    <message>
        <source>Weight of the cosine loss mean(max(0, cos(h_good, h_bad))) at the layer&apos;s output, which pushes the two sentences of a pair apart (reference: 0.1).</source>
        <translation>Вес косинусной функции потерь mean(max(0, cos(h_good, h_bad))) на выходе слоя, которая разводит два предложения пары (в эталоне: 0.1).</translation>
    </message>
    <message>
        <source>Weight of the masked-LM loss on the grammatical sentence, which keeps the standard language (reference: 0.1).</source>
        <translation>Вес потерь маскированной языковой модели на грамматичном предложении, сохраняющих стандартный язык (в эталоне: 0.1).</translation>
    </message>
    <message>
        <source>Weights cos / MLM:</source>
        <translation>Веса cos / MLM:</translation>
    </message>
    <message>
        <source>Pairs per step (reference: 16).</source>
        <translation>Пар на шаг (в эталоне: 16).</translation>
    </message>
    <message>
        <source>The MLM gradient is computed every N steps and reused in between (reference: 10).</source>
        <translation>Градиент MLM вычисляется каждые N шагов и между ними используется повторно (в эталоне: 10).</translation>
    </message>
    <message>
        <source>All tokens</source>
        <translation>Все токены</translation>
    </message>
    <message>
        <source>Changed tokens</source>
        <translation>Изменённые токены</translation>
    </message>
    <message>
        <source>h = the mean of the layer&apos;s output over all tokens, or over the tokens of the words the pair changes.</source>
        <translation>h — среднее выхода слоя по всем токенам или по токенам слов, которые меняет пара.</translation>
    </message>
    <message>
        <source>The folder the localized checkpoint is written to (a normal Hugging Face folder that records its parent).</source>
        <translation>Папка, в которую записывается локализованный чекпойнт (обычная папка Hugging Face, в которой записан её родитель).</translation>
    </message>
    <message>
        <source>…</source>
        <translation>…</translation>
    </message>
    <message>
        <source>Choose the output folder</source>
        <translation>Выбрать папку для результата</translation>
    </message>
    <message>
        <source>Resume the run saved in the output folder</source>
        <translation>Продолжить запуск, сохранённый в папке результата</translation>
    </message>
    <message>
        <source>Continue a cancelled training where it stopped (same options); the result equals an uninterrupted run.</source>
        <translation>Продолжить отменённое обучение с места остановки (с теми же параметрами); результат совпадает с непрерывным запуском.</translation>
    </message>
    <message>
        <source>Train layer</source>
        <translation>Обучить слой</translation>
    </message>
    <message>
        <source>Train the layer in the background (Ctrl+Shift+L)</source>
        <translation>Обучить слой в фоне (Ctrl+Shift+L)</translation>
    </message>
    <message>
        <source>Ctrl+Shift+L</source>
        <translation>Ctrl+Shift+L</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Отмена</translation>
    </message>
    <message>
        <source>Stop after saving the state (Esc); Resume continues it</source>
        <translation>Остановить, сохранив состояние (Esc); «Продолжить» возобновляет обучение</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>Шаг</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>Потери</translation>
    </message>
    <message>
        <source>MLM loss (nats)</source>
        <translation>Потери MLM (наты)</translation>
    </message>
    <message>
        <source>Total</source>
        <translation>Всего</translation>
    </message>
    <message>
        <source>Cosine</source>
        <translation>Косинус</translation>
    </message>
    <message>
        <source>MLM ▸</source>
        <translation>MLM ▸</translation>
    </message>
    <message>
        <source>Losses of every step: the total, the cosine loss (left axis) and the last computed MLM loss (right axis).</source>
        <translation>Потери на каждом шаге: суммарные, косинусные (левая ось) и последние вычисленные потери MLM (правая ось).</translation>
    </message>
    <message>
        <source>All pairs (%1)</source>
        <translation>Все пары (%1)</translation>
    </message>
    <message>
        <source>Open a model first: it is the parent of the localized layer.</source>
        <translation>Сначала откройте модель: она будет родителем локализованного слоя.</translation>
    </message>
    <message>
        <source>Open a dataset of minimal pairs first.</source>
        <translation>Сначала откройте набор минимальных пар.</translation>
    </message>
    <message>
        <source>Choose an output folder.</source>
        <translation>Выберите папку для результата.</translation>
    </message>
    <message>
        <source>The learning rate must be a positive number (e.g. 1e-5).</source>
        <translation>Скорость обучения должна быть положительным числом (например, 1e-5).</translation>
    </message>
    <message>
        <source>At least one loss weight must be positive.</source>
        <translation>Хотя бы один вес потерь должен быть положительным.</translation>
    </message>
    <message>
        <source>Output folder of the localized checkpoint</source>
        <translation>Папка локализованного чекпойнта</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Запуск…</translation>
    </message>
    <message>
        <source>Cancelling: saving the state…</source>
        <translation>Отмена: сохранение состояния…</translation>
    </message>
    <message>
        <source>Step %1 of %2: loss %3 (cosine %4, MLM %5); %6 tokens/s, %7 s left</source>
        <translation>Шаг %1 из %2: потери %3 (косинус %4, MLM %5); %6 токенов/с, осталось %7 с</translation>
    </message>
    <message>
        <source>Layer %1 trained for %2 steps in %3 s: cosine loss %4 → %5, MLM %6. Saved to %7.</source>
        <translation>Слой %1 обучен за %2 шагов, %3 с: косинусные потери %4 → %5, MLM %6. Сохранено в %7.</translation>
    </message>
    <message>
        <source>Localized layer saved to %1</source>
        <translation>Локализованный слой сохранён в %1</translation>
    </message>
    <message>
        <source>Choose a checkpoint folder</source>
        <translation>Выбрать папку чекпойнта</translation>
    </message>
    <message>
        <source>A checkpoint where one layer was trained</source>
        <translation>Чекпойнт, в котором обучен один слой</translation>
    </message>
    <message>
        <source>Its parent; empty: the folder the localized checkpoint records, else the loaded model</source>
        <translation>Его родитель; если пусто — папка, записанная в локализованном чекпойнте, иначе загруженная модель</translation>
    </message>
    <message>
        <source>Compare checkpoints</source>
        <translation>Сравнить чекпойнты</translation>
    </message>
    <message>
        <source>Which layers differ: relative norm of the change per layer</source>
        <translation>Какие слои различаются: относительная норма изменения по слоям</translation>
    </message>
    <message>
        <source>Show in the view</source>
        <translation>Показать на вкладке</translation>
    </message>
    <message>
        <source>Draw the hidden-state distance to the parent for the current sentence or pair in the Localized layer tab</source>
        <translation>Показать расстояние скрытых состояний до родителя для текущего предложения или пары на вкладке «Локализованный слой»</translation>
    </message>
    <message>
        <source>Encoder layer (0-based)</source>
        <translation>Слой энкодера (с 0)</translation>
    </message>
    <message>
        <source>‖B − A‖ / ‖A‖</source>
        <translation>‖B − A‖ / ‖A‖</translation>
    </message>
    <message>
        <source>Relative change of each encoder layer&apos;s weights; the localized layer in red.</source>
        <translation>Относительное изменение весов каждого слоя энкодера; локализованный слой — красным.</translation>
    </message>
    <message>
        <source>Localized checkpoint</source>
        <translation>Локализованный чекпойнт</translation>
    </message>
    <message>
        <source>Parent checkpoint</source>
        <translation>Родительский чекпойнт</translation>
    </message>
    <message>
        <source>Comparing…</source>
        <translation>Сравнение…</translation>
    </message>
    <message>
        <source>all</source>
        <translation>все</translation>
    </message>
    <message>
        <source>Category pairs used for the activity, the ablation and the probes (0 = all).</source>
        <translation>Пары категории для активности, абляции и зондов (0 — все).</translation>
    </message>
    <message>
        <source>Build report</source>
        <translation>Построить отчёт</translation>
    </message>
    <message>
        <source>Answer the three localization questions for the compared checkpoints on the current dataset&apos;s pairs</source>
        <translation>Ответить на три вопроса о локализации для сравниваемых чекпойнтов на парах текущего набора данных</translation>
    </message>
    <message>
        <source>Stop building the report (Esc)</source>
        <translation>Остановить построение отчёта (Esc)</translation>
    </message>
    <message>
        <source>Save…</source>
        <translation>Сохранить…</translation>
    </message>
    <message>
        <source>Save the report as Markdown (.md) or JSON (.json)</source>
        <translation>Сохранить отчёт в Markdown (.md) или JSON (.json)</translation>
    </message>
    <message>
        <source>Choose a localized checkpoint in the Compare tab first.</source>
        <translation>Сначала выберите локализованный чекпойнт на вкладке «Сравнение».</translation>
    </message>
    <message>
        <source>Report built in %1 s.</source>
        <translation>Отчёт построен за %1 с.</translation>
    </message>
    <message>
        <source>There is no report to save.</source>
        <translation>Нет отчёта для сохранения.</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>Не удалось записать %1: %2</translation>
    </message>
    <message>
        <source>Save the localization report</source>
        <translation>Сохранить отчёт о локализации</translation>
    </message>
    <message>
        <source>Markdown (*.md);;JSON (*.json)</source>
        <translation>Markdown (*.md);;JSON (*.json)</translation>
    </message>
    <message>
        <source>Report saved to %1</source>
        <translation>Отчёт сохранён в %1</translation>
    </message>
    <message>
        <source>Training failed: %1</source>
        <translation>Ошибка обучения: %1</translation>
    </message>
    <message>
        <source>Cannot compare: %1</source>
        <translation>Не удалось сравнить: %1</translation>
    </message>
    <message>
        <source>The report failed: %1</source>
        <translation>Не удалось построить отчёт: %1</translation>
    </message>
    <message>
        <source>Cancelled; the state is saved in the output folder: tick Resume to continue.</source>
        <translation>Отменено; состояние сохранено в папке результата: отметьте «Продолжить», чтобы продолжить.</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Отменено.</translation>
    </message>
    <message>
        <source>Parent: %1
Pairs: %2</source>
        <translation>Родитель: %1
Пары: %2</translation>
    </message>
    <message>
        <source>(no model)</source>
        <translation>(нет модели)</translation>
    </message>
    <message>
        <source>(no dataset)</source>
        <translation>(нет набора данных)</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>Обучение</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>Сравнение</translation>
    </message>
    <message>
        <source>Report</source>
        <translation>Отчёт</translation>
    </message>
    <message>
        <source>Pairs:</source>
        <translation>Пары:</translation>
    </message>
    <message>
        <source>Layer:</source>
        <translation>Слой:</translation>
    </message>
    <message>
        <source>Steps:</source>
        <translation>Шаги:</translation>
    </message>
    <message>
        <source>Learning rate:</source>
        <translation>Скорость обучения:</translation>
    </message>
    <message>
        <source>Batch:</source>
        <translation>Батч:</translation>
    </message>
    <message>
        <source>MLM every:</source>
        <translation>MLM каждые:</translation>
    </message>
    <message>
        <source>Pooling:</source>
        <translation>Усреднение:</translation>
    </message>
    <message>
        <source>Output:</source>
        <translation>Результат:</translation>
    </message>
    <message>
        <source>Localized:</source>
        <translation>Локализованный:</translation>
    </message>
    <message>
        <source>Parent:</source>
        <translation>Родитель:</translation>
    </message>
    <message>
        <source>Pairs (max):</source>
        <translation>Пары (макс.):</translation>
    </message>
</context>
<context>
    <name>gs::ui::LocalizeService</name>
    <message>
        <source>A localized layer is already training.</source>
        <translation>Локализованный слой уже обучается.</translation>
    </message>
    <message>
        <source>A localization report is already running.</source>
        <translation>Отчёт о локализации уже строится.</translation>
    </message>
</context>
<context>
    <name>gs::ui::LocalizeView</name>
    <message>
        <source>Distance:</source>
        <translation>Расстояние:</translation>
    </message>
    <message>
        <source>L2 ‖h_loc − h_par‖</source>
        <translation>L2 ‖h_loc − h_par‖</translation>
    </message>
    <message>
        <source>Cosine 1 − cos(h_loc, h_par)</source>
        <translation>Косинусное 1 − cos(h_loc, h_par)</translation>
    </message>
    <message>
        <source>Token</source>
        <translation>Токен</translation>
    </message>
    <message>
        <source>Computing the distance to the parent…</source>
        <translation>Вычисление расстояния до родителя…</translation>
    </message>
    <message>
        <source>Cannot compare: %1</source>
        <translation>Не удалось сравнить: %1</translation>
    </message>
    <message>
        <source>No distance to show.</source>
        <translation>Нет расстояния для показа.</translation>
    </message>
    <message>
        <source>Choose a localized checkpoint in the Localized layer panel (Compare › Show in the view).</source>
        <translation>Выберите локализованный чекпойнт в панели «Локализованный слой» («Сравнение › Показать на вкладке»).</translation>
    </message>
    <message>
        <source>No localized model chosen.</source>
        <translation>Локализованная модель не выбрана.</translation>
    </message>
    <message>
        <source>Type a sentence or choose a pair.</source>
        <translation>Введите предложение или выберите пару.</translation>
    </message>
    <message>
        <source>Cosine distance to the parent</source>
        <translation>Косинусное расстояние до родителя</translation>
    </message>
    <message>
        <source>L2 distance to the parent</source>
        <translation>Расстояние L2 до родителя</translation>
    </message>
    <message>
        <source>Grammatical</source>
        <translation>Грамматичное</translation>
    </message>
    <message>
        <source>Ungrammatical</source>
        <translation>Неграмматичное</translation>
    </message>
    <message>
        <source>; ▸ marks the tokens of the changed words</source>
        <translation>; ▸ отмечает токены изменённых слов</translation>
    </message>
    <message>
        <source>Current pair side by side</source>
        <translation>Текущая пара рядом</translation>
    </message>
    <message>
        <source>Both sentences of the pair chosen in the Datasets panel; unchecked: the typed sentence</source>
        <translation>Оба предложения пары, выбранной в панели «Наборы данных»; без отметки — введённое предложение</translation>
    </message>
    <message>
        <source>Layer %1 localized (its output is row %2). </source>
        <translation>Слой %1 локализован (его выход — строка %2). </translation>
    </message>
    <message>
        <source>%1 vs parent %2</source>
        <translation>%1 против родителя %2</translation>
    </message>
    <message>
        <source>Localized: %1
Parent: %2</source>
        <translation>Локализованный: %1
Родитель: %2</translation>
    </message>
    <message>
        <source>Surprisal change with the layer restored (bits)</source>
        <translation>Изменение сюрпризала при восстановленном слое (бит)</translation>
    </message>
    <message>
        <source>How far the localized model&apos;s hidden state of each token and layer is from the parent&apos;s; or, per token, how much its surprisal (PLL) changes when the localized layer is restored to the parent&apos;s weights (ablation)</source>
        <translation>Насколько скрытое состояние локализованной модели для каждого токена и слоя далеко от родительского; или, для каждого токена, насколько меняется его сюрпризал (PLL), когда локализованному слою возвращают веса родителя (абляция)</translation>
    </message>
    <message>
        <source>Scoring every token with and without the localized layer…</source>
        <translation>Оценка каждого токена с локализованным слоем и без него…</translation>
    </message>
    <message>
        <source>Surprisal change, layer restored (bits)</source>
        <translation>Изменение сюрпризала, слой восстановлен (бит)</translation>
    </message>
</context>
<context>
    <name>gs::ui::MainWindow</name>
    <message>
        <source>Model</source>
        <translation>Модель</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Файл</translation>
    </message>
    <message>
        <source>&amp;Open model folder…</source>
        <translation>&amp;Открыть папку модели…</translation>
    </message>
    <message>
        <source>Open a Hugging Face checkpoint folder (config.json, weights, tokenizer)</source>
        <translation>Открыть папку с чекпойнтом Hugging Face (config.json, веса, токенизатор)</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>Н&amp;едавние модели</translation>
    </message>
    <message>
        <source>&amp;Export heatmap…</source>
        <translation>&amp;Экспорт тепловой карты…</translation>
    </message>
    <message>
        <source>Save the whole heatmap as PNG, PDF or SVG (chosen by the file extension)</source>
        <translation>Сохранить всю тепловую карту в PNG, PDF или SVG (формат определяется расширением файла)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Выход</translation>
    </message>
    <message>
        <source>Close Grammascope</source>
        <translation>Закрыть Grammascope</translation>
    </message>
    <message>
        <source>Model options changed: Model › Reload model applies them.</source>
        <translation>Параметры модели изменены: их применяет «Модель › Перезагрузить модель».</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Вид</translation>
    </message>
    <message>
        <source>&amp;Colour map</source>
        <translation>&amp;Цветовая шкала</translation>
    </message>
    <message>
        <source>Colour map of quantities that are not centred on zero</source>
        <translation>Цветовая шкала для величин, не центрированных на нуле</translation>
    </message>
    <message>
        <source>&amp;Model information</source>
        <translation>&amp;Сведения о модели</translation>
    </message>
    <message>
        <source>Show or hide the model information panel</source>
        <translation>Показать или скрыть панель сведений о модели</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Справка</translation>
    </message>
    <message>
        <source>&amp;About Grammascope</source>
        <translation>&amp;О программе Grammascope</translation>
    </message>
    <message>
        <source>About Grammascope</source>
        <translation>О программе Grammascope</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;Grammascope %1&lt;/b&gt;&lt;/p&gt;&lt;p&gt;Shows where a BERT-style masked language model keeps grammar: how each token&apos;s representation changes from layer to layer.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;Grammascope %1&lt;/b&gt;&lt;/p&gt;&lt;p&gt;Показывает, где BERT-подобная маскированная языковая модель хранит грамматику: как представление каждого токена меняется от слоя к слою.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>What Grammascope is doing, or the last error</source>
        <translation>Что сейчас делает Grammascope, или последняя ошибка</translation>
    </message>
    <message>
        <source>Progress of the running job; Esc cancels it</source>
        <translation>Ход выполняющегося задания; Esc отменяет его</translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation>Загрузка %1…</translation>
    </message>
    <message>
        <source>Open a model folder first (File › Open model folder…).</source>
        <translation>Сначала откройте папку модели («Файл › Открыть папку модели…»).</translation>
    </message>
    <message>
        <source>Type a sentence first.</source>
        <translation>Сначала введите предложение.</translation>
    </message>
    <message>
        <source>Encoding…</source>
        <translation>Кодирование…</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Отменено.</translation>
    </message>
    <message>
        <source>Model loaded. Type a sentence and press Run.</source>
        <translation>Модель загружена. Введите предложение и нажмите «Запустить».</translation>
    </message>
    <message>
        <source>Loaded %1 (%2 layers, hidden size %3).</source>
        <translation>Загружено: %1 (слоёв: %2, размер скрытого состояния: %3).</translation>
    </message>
    <message numerus="yes">
        <source>%n warning(s): see the Model panel.</source>
        <translation>
            <numerusform>%n предупреждение: см. панель «Модель».</numerusform>
            <numerusform>%n предупреждения: см. панель «Модель».</numerusform>
            <numerusform>%n предупреждений: см. панель «Модель».</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n token(s), %1 layers.</source>
        <translation>
            <numerusform>%n токен, слоёв: %1.</numerusform>
            <numerusform>%n токена, слоёв: %1.</numerusform>
            <numerusform>%n токенов, слоёв: %1.</numerusform>
        </translation>
    </message>
    <message>
        <source>Could not load %1.</source>
        <translation>Не удалось загрузить %1.</translation>
    </message>
    <message>
        <source>Could not load the model</source>
        <translation>Не удалось загрузить модель</translation>
    </message>
    <message>
        <source>Could not load the model in %1.</source>
        <translation>Не удалось загрузить модель из %1.</translation>
    </message>
    <message>
        <source>Encoding failed: %1</source>
        <translation>Ошибка кодирования: %1</translation>
    </message>
    <message>
        <source>Word</source>
        <translation>Слово</translation>
    </message>
    <message>
        <source>Token</source>
        <translation>Токен</translation>
    </message>
    <message>
        <source>Could not compute the heatmap: %1</source>
        <translation>Не удалось вычислить тепловую карту: %1</translation>
    </message>
    <message>
        <source>Loading %p%</source>
        <translation>Загрузка %p%</translation>
    </message>
    <message>
        <source>Encoding %p%</source>
        <translation>Кодирование %p%</translation>
    </message>
    <message>
        <source>Grammascope</source>
        <translation>Grammascope</translation>
    </message>
    <message>
        <source>%1 — Grammascope</source>
        <translation>%1 — Grammascope</translation>
    </message>
    <message>
        <source>Open model folder</source>
        <translation>Открыть папку модели</translation>
    </message>
    <message>
        <source>%1 no longer exists; removed from the recent list.</source>
        <translation>%1 больше не существует; удалено из списка недавних.</translation>
    </message>
    <message>
        <source>Open %1</source>
        <translation>Открыть %1</translation>
    </message>
    <message>
        <source>&amp;Clear list</source>
        <translation>&amp;Очистить список</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>Изображение PNG (*.png)</translation>
    </message>
    <message>
        <source>PDF document (*.pdf)</source>
        <translation>Документ PDF (*.pdf)</translation>
    </message>
    <message>
        <source>SVG image (*.svg)</source>
        <translation>Изображение SVG (*.svg)</translation>
    </message>
    <message>
        <source>Export heatmap</source>
        <translation>Экспорт тепловой карты</translation>
    </message>
    <message>
        <source>Exported %1.</source>
        <translation>Экспортировано: %1.</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>Ошибка экспорта</translation>
    </message>
    <message>
        <source>&amp;Layer quantities</source>
        <translation>Пос&amp;лойные величины</translation>
    </message>
    <message>
        <source>Open de&amp;mo</source>
        <translation>Открыть &amp;демо</translation>
    </message>
    <message>
        <source>Open the built-in demo: a small Russian masked LM trained by Grammascope and generated minimal pairs</source>
        <translation>Открыть встроенное демо: небольшую русскую маскированную языковую модель, обученную в Grammascope, и сгенерированные минимальные пары</translation>
    </message>
    <message>
        <source>&amp;Datasets panel</source>
        <translation>Панель &amp;наборов данных</translation>
    </message>
    <message>
        <source>Show or hide the dataset browser</source>
        <translation>Показать или скрыть обозреватель наборов данных</translation>
    </message>
    <message>
        <source>&amp;Probes panel</source>
        <translation>Панель &amp;зондов</translation>
    </message>
    <message>
        <source>Show or hide the stored probe sets and their per-layer report</source>
        <translation>Показать или скрыть сохранённые наборы зондов и их послойный отчёт</translation>
    </message>
    <message>
        <source>The built-in demo was not found in: %1</source>
        <translation>Встроенное демо не найдено в: %1</translation>
    </message>
    <message>
        <source>From cache.</source>
        <translation>Из кэша.</translation>
    </message>
    <message>
        <source>Press Run to compute the token surprisal of this sentence.</source>
        <translation>Нажмите «Запустить», чтобы вычислить сюрпризал токенов этого предложения.</translation>
    </message>
    <message>
        <source>Token surprisal needs a checkpoint with an MLM head; this one has none.</source>
        <translation>Для сюрпризала токенов нужен чекпойнт с MLM-головой; у этого её нет.</translation>
    </message>
    <message>
        <source>%1 [truncated: first %2 of %3 tokens]</source>
        <translation>%1 [обрезано: первые %2 из %3 токенов]</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 с</translation>
    </message>
    <message>
        <source>&amp;Analysis</source>
        <translation>&amp;Анализ</translation>
    </message>
    <message>
        <source>&amp;Run dataset</source>
        <translation>&amp;Прогнать набор данных</translation>
    </message>
    <message>
        <source>Compute the chosen analyses for every sentence of the current dataset in the background and keep them in the cache; a cancelled run continues where it stopped (Ctrl+R)</source>
        <translation>Вычислить выбранные анализы для каждого предложения текущего набора данных в фоновом режиме и сохранить их в кэше; отменённый прогон продолжится с места остановки (Ctrl+R)</translation>
    </message>
    <message>
        <source>&amp;Cancel dataset run</source>
        <translation>&amp;Отменить прогон набора данных</translation>
    </message>
    <message>
        <source>Stop the dataset run; what was computed stays in the cache (Esc)</source>
        <translation>Остановить прогон набора данных; вычисленное остаётся в кэше (Esc)</translation>
    </message>
    <message>
        <source>&amp;Analyses to run</source>
        <translation>Выполняемые &amp;анализы</translation>
    </message>
    <message>
        <source>Computed by Run dataset; needs a checkpoint with an MLM head and one masked forward pass per token, so it costs far more than the layer quantities</source>
        <translation>Вычисляется командой «Прогнать набор данных»; нужен чекпойнт с MLM-головой и один прямой проход с маскированием на каждый токен, поэтому это намного дороже послойных величин</translation>
    </message>
    <message>
        <source>Computed by Run dataset (one forward pass per batch gives every layer quantity)</source>
        <translation>Вычисляется командой «Прогнать набор данных» (один прямой проход на пакет даёт все послойные величины)</translation>
    </message>
    <message>
        <source>Speed of the dataset run (tokens computed per second) and the time it still needs</source>
        <translation>Скорость прогона набора данных (вычисленные токены в секунду) и оставшееся время</translation>
    </message>
    <message>
        <source>%v / %m sentences</source>
        <translation>%v / %m предложений</translation>
    </message>
    <message>
        <source>Distinct sentences of the dataset with every chosen analysis in the cache</source>
        <translation>Различные предложения набора данных, для которых все выбранные анализы есть в кэше</translation>
    </message>
    <message>
        <source>Cancel the dataset run (Esc); what was computed stays in the cache and Run dataset continues from there</source>
        <translation>Отменить прогон набора данных (Esc); вычисленное остаётся в кэше, и «Прогнать набор данных» продолжит с этого места</translation>
    </message>
    <message>
        <source>The dataset run failed: %1</source>
        <translation>Ошибка прогона набора данных: %1</translation>
    </message>
    <message>
        <source>Dataset run cancelled.</source>
        <translation>Прогон набора данных отменён.</translation>
    </message>
    <message>
        <source>Open a dataset first (File › Open dataset…, Ctrl+P).</source>
        <translation>Сначала откройте набор данных («Файл › Открыть набор данных…», Ctrl+P).</translation>
    </message>
    <message>
        <source>A dataset run is in progress (Esc cancels it).</source>
        <translation>Идёт прогон набора данных (Esc отменяет его).</translation>
    </message>
    <message>
        <source>Choose at least one analysis in Analysis › Analyses to run.</source>
        <translation>Выберите хотя бы один анализ в меню «Анализ › Выполняемые анализы».</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Запуск…</translation>
    </message>
    <message>
        <source>Running %1 over %2…</source>
        <translation>Выполняется %1 по %2…</translation>
    </message>
    <message>
        <source>(Token surprisal skipped: the model has no MLM head.)</source>
        <translation>(Сюрпризал токенов пропущен: у модели нет MLM-головы.)</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Отмена…</translation>
    </message>
    <message>
        <source>finishing…</source>
        <translation>завершение…</translation>
    </message>
    <message>
        <source>%1 cached, computing…</source>
        <translation>%1 в кэше, вычисление…</translation>
    </message>
    <message>
        <source>%1 tokens/s · ETA %2</source>
        <translation>%1 токенов/с · осталось %2</translation>
    </message>
    <message>
        <source>…</source>
        <translation>…</translation>
    </message>
    <message>
        <source>%1 of %2 distinct sentences have every chosen analysis in the cache (%3 were there before this run); %4 tokens computed, %5 elapsed</source>
        <translation>Для %1 из %2 различных предложений все выбранные анализы есть в кэше (%3 были там до этого прогона); вычислено токенов: %4, прошло %5</translation>
    </message>
    <message>
        <source>Dataset run over %1 cancelled: %2 of %3 sentences are in the cache. Run dataset (Ctrl+R) continues from there.</source>
        <translation>Прогон набора данных %1 отменён: в кэше %2 из %3 предложений. «Прогнать набор данных» (Ctrl+R) продолжит с этого места.</translation>
    </message>
    <message>
        <source>Dataset run over %1 finished: %2 sentences, %3 computed, %4 were in the cache.</source>
        <translation>Прогон набора данных %1 завершён: предложений — %2, вычислено — %3, были в кэше — %4.</translation>
    </message>
    <message>
        <source>%1 tokens/s.</source>
        <translation>%1 токенов/с.</translation>
    </message>
    <message numerus="yes">
        <source>%n sentence(s) were longer than the model allows and were truncated.</source>
        <translation>
            <numerusform>%n предложение оказалось длиннее допустимого для модели и было обрезано.</numerusform>
            <numerusform>%n предложения оказались длиннее допустимого для модели и были обрезаны.</numerusform>
            <numerusform>%n предложений оказались длиннее допустимого для модели и были обрезаны.</numerusform>
        </translation>
    </message>
    <message>
        <source>damaged or not a Grammascope cache</source>
        <translation>повреждён или не является кэшем Grammascope</translation>
    </message>
    <message>
        <source>written by a newer Grammascope</source>
        <translation>записан более новой версией Grammascope</translation>
    </message>
    <message>
        <source>the disk is full</source>
        <translation>диск заполнен</translation>
    </message>
    <message>
        <source>another program holds it locked</source>
        <translation>его заблокировала другая программа</translation>
    </message>
    <message>
        <source>it cannot be written</source>
        <translation>в него нельзя записать</translation>
    </message>
    <message>
        <source>it cannot be opened</source>
        <translation>его нельзя открыть</translation>
    </message>
    <message>
        <source>C&amp;ache</source>
        <translation>&amp;Кэш</translation>
    </message>
    <message>
        <source>Cache &amp;location…</source>
        <translation>&amp;Расположение кэша…</translation>
    </message>
    <message>
        <source>Use the &amp;default location</source>
        <translation>Расположение по &amp;умолчанию</translation>
    </message>
    <message>
        <source>Keep results in %1</source>
        <translation>Хранить результаты в %1</translation>
    </message>
    <message>
        <source>Cache size &amp;limit…</source>
        <translation>&amp;Предел размера кэша…</translation>
    </message>
    <message>
        <source>Above this size the least recently used results are deleted</source>
        <translation>При превышении этого размера удаляются давно не использовавшиеся результаты</translation>
    </message>
    <message>
        <source>&amp;Clear cache…</source>
        <translation>&amp;Очистить кэш…</translation>
    </message>
    <message>
        <source>Delete every cached result (asks first, saying how much); they are computed again when needed</source>
        <translation>Удалить все результаты из кэша (сначала спросит, сказав, сколько); при необходимости они будут вычислены заново</translation>
    </message>
    <message>
        <source>Cache &amp;statistics…</source>
        <translation>&amp;Статистика кэша…</translation>
    </message>
    <message>
        <source>Size, limit and contents of the results cache</source>
        <translation>Размер, предел и содержимое кэша результатов</translation>
    </message>
    <message>
        <source>Choose the database file that keeps computed results (now %1)</source>
        <translation>Выбрать файл базы данных для хранения вычисленных результатов (сейчас %1)</translation>
    </message>
    <message>
        <source>Cache size &amp;limit: none…</source>
        <translation>&amp;Предел размера кэша: нет…</translation>
    </message>
    <message>
        <source>Cache size &amp;limit: %1…</source>
        <translation>&amp;Предел размера кэша: %1…</translation>
    </message>
    <message>
        <source>The unusable cache was moved to %1; a new cache was started at %2.</source>
        <translation>Непригодный кэш перемещён в %1; новый кэш создан в %2.</translation>
    </message>
    <message>
        <source>Cache moved aside</source>
        <translation>Кэш отложен</translation>
    </message>
    <message numerus="yes">
        <source>Cache cleared: %n result(s) deleted; its file went from %1 to %2.</source>
        <translation>
            <numerusform>Кэш очищен: удалён %n результат; размер файла уменьшился с %1 до %2.</numerusform>
            <numerusform>Кэш очищен: удалено %n результата; размер файла уменьшился с %1 до %2.</numerusform>
            <numerusform>Кэш очищен: удалено %n результатов; размер файла уменьшился с %1 до %2.</numerusform>
        </translation>
    </message>
    <message>
        <source>Cache: %1</source>
        <translation>Кэш: %1</translation>
    </message>
    <message>
        <source>Cache: opening…</source>
        <translation>Кэш: открытие…</translation>
    </message>
    <message>
        <source>Cache location</source>
        <translation>Расположение кэша</translation>
    </message>
    <message>
        <source>Grammascope results cache (*.sqlite);;All files (*)</source>
        <translation>Кэш результатов Grammascope (*.sqlite);;Все файлы (*)</translation>
    </message>
    <message>
        <source>%1 is a folder: choose a file name for the cache.</source>
        <translation>%1 — это папка: выберите имя файла для кэша.</translation>
    </message>
    <message>
        <source>Results are now kept in %1.</source>
        <translation>Теперь результаты хранятся в %1.</translation>
    </message>
    <message>
        <source>Cache size limit</source>
        <translation>Предел размера кэша</translation>
    </message>
    <message>
        <source>Largest size of the cache in MiB (0 = no limit).
Above it the least recently used results of finished runs are deleted.</source>
        <translation>Наибольший размер кэша в МиБ (0 — без ограничения).
При его превышении удаляются давно не использовавшиеся результаты завершённых запусков.</translation>
    </message>
    <message>
        <source>The cache has no size limit now.</source>
        <translation>Теперь размер кэша не ограничен.</translation>
    </message>
    <message>
        <source>Cache size limit: %1.</source>
        <translation>Предел размера кэша: %1.</translation>
    </message>
    <message>
        <source>Reading the size of the cache…</source>
        <translation>Определение размера кэша…</translation>
    </message>
    <message>
        <source>The cache was not cleared.</source>
        <translation>Кэш не очищен.</translation>
    </message>
    <message>
        <source>Clearing the cache…</source>
        <translation>Очистка кэша…</translation>
    </message>
    <message>
        <source>Computed results are kept in %1 and never computed twice (Analysis › Cache)</source>
        <translation>Вычисленные результаты хранятся в %1 и никогда не вычисляются дважды («Анализ › Кэш»)</translation>
    </message>
    <message>
        <source>Cache: this session only</source>
        <translation>Кэш: только этот сеанс</translation>
    </message>
    <message>
        <source>Results are kept in memory until Grammascope closes</source>
        <translation>Результаты хранятся в памяти до закрытия Grammascope</translation>
    </message>
    <message>
        <source>%1 could not be used: results are kept in memory until Grammascope closes (Analysis › Cache › Cache location… chooses another file)</source>
        <translation>Не удалось использовать %1: результаты хранятся в памяти до закрытия Grammascope (другой файл можно выбрать в «Анализ › Кэш › Расположение кэша…»)</translation>
    </message>
    <message>
        <source>The results cache %1 cannot be used (%2); results are kept for this session only. %3</source>
        <translation>Кэш результатов %1 нельзя использовать (%2); результаты сохраняются только на этот сеанс. %3</translation>
    </message>
    <message>
        <source>The results cache %1 is unusable: %2.</source>
        <translation>Кэш результатов %1 непригоден: %2.</translation>
    </message>
    <message>
        <source>Moving %1 aside…</source>
        <translation>Перемещение %1…</translation>
    </message>
    <message>
        <source>Continuing without a cache: results are kept until Grammascope closes; %1 is left as it is.</source>
        <translation>Работа без кэша: результаты хранятся до закрытия Grammascope; %1 остаётся как есть.</translation>
    </message>
    <message>
        <source>Datasets</source>
        <translation>Наборы данных</translation>
    </message>
    <message>
        <source>Reading %1…</source>
        <translation>Чтение %1…</translation>
    </message>
    <message>
        <source>%1 was not opened.</source>
        <translation>%1 не открыт.</translation>
    </message>
    <message>
        <source>Open &amp;dataset…</source>
        <translation>Открыть &amp;набор данных…</translation>
    </message>
    <message>
        <source>Open minimal pairs or sentences: Grammascope or RuBLiMP CSV, BLiMP JSONL, any CSV / TSV (you choose the columns), plain text or CoNLL-U. Several can be open at once.</source>
        <translation>Открыть минимальные пары или предложения: CSV Grammascope или RuBLiMP, BLiMP JSONL, любой CSV / TSV (столбцы выбираете вы), простой текст или CoNLL-U. Можно открыть несколько сразу.</translation>
    </message>
    <message>
        <source>Recent da&amp;tasets</source>
        <translation>Недавние на&amp;боры данных</translation>
    </message>
    <message>
        <source>&amp;Save dataset as CSV…</source>
        <translation>&amp;Сохранить набор данных как CSV…</translation>
    </message>
    <message>
        <source>Write the pairs of the current dataset as a Grammascope CSV file</source>
        <translation>Записать пары текущего набора данных в CSV-файл Grammascope</translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation>&amp;Инструменты</translation>
    </message>
    <message>
        <source>&amp;Generate polypersonal pairs from CoNLL-U…</source>
        <translation>&amp;Сгенерировать полиперсональные пары из CoNLL-U…</translation>
    </message>
    <message>
        <source>Turn Universal Dependencies sentences into (standard, polypersonal) pairs with an editable rule table; the result opens as a dataset</source>
        <translation>Превратить предложения Universal Dependencies в пары (стандартное, полиперсональное) по редактируемой таблице правил; результат открывается как набор данных</translation>
    </message>
    <message>
        <source>%1 is already open.</source>
        <translation>%1 уже открыт.</translation>
    </message>
    <message numerus="yes">
        <source>%n sentence(s) read from %1.</source>
        <translation>
            <numerusform>Из %1 прочитано %n предложение.</numerusform>
            <numerusform>Из %1 прочитано %n предложения.</numerusform>
            <numerusform>Из %1 прочитано %n предложений.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n pair(s) read from %1.</source>
        <translation>
            <numerusform>Из %1 прочитана %n пара.</numerusform>
            <numerusform>Из %1 прочитаны %n пары.</numerusform>
            <numerusform>Из %1 прочитано %n пар.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n malformed record(s) skipped.</source>
        <translation>
            <numerusform>Пропущена %n некорректная запись.</numerusform>
            <numerusform>Пропущены %n некорректные записи.</numerusform>
            <numerusform>Пропущено %n некорректных записей.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n warning(s): see the Datasets panel.</source>
        <translation>
            <numerusform>%n предупреждение: см. панель «Наборы данных».</numerusform>
            <numerusform>%n предупреждения: см. панель «Наборы данных».</numerusform>
            <numerusform>%n предупреждений: см. панель «Наборы данных».</numerusform>
        </translation>
    </message>
    <message>
        <source>Datasets (%1)</source>
        <translation>Наборы данных (%1)</translation>
    </message>
    <message>
        <source>CSV and TSV (*.csv *.tsv)</source>
        <translation>CSV и TSV (*.csv *.tsv)</translation>
    </message>
    <message>
        <source>BLiMP JSON Lines (*.jsonl)</source>
        <translation>BLiMP JSON Lines (*.jsonl)</translation>
    </message>
    <message>
        <source>Plain text, one sentence per line (*.txt)</source>
        <translation>Простой текст, по предложению на строке (*.txt)</translation>
    </message>
    <message>
        <source>CoNLL-U (*.conllu)</source>
        <translation>CoNLL-U (*.conllu)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>Все файлы (*)</translation>
    </message>
    <message>
        <source>Open datasets</source>
        <translation>Открыть наборы данных</translation>
    </message>
    <message>
        <source>Forget the recently opened datasets</source>
        <translation>Забыть недавно открытые наборы данных</translation>
    </message>
    <message>
        <source>Save dataset as CSV</source>
        <translation>Сохранить набор данных как CSV</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Файлы CSV (*.csv)</translation>
    </message>
    <message numerus="yes">
        <source>Saved %n pair(s) to %1.</source>
        <translation>
            <numerusform>%n пара сохранена в %1.</numerusform>
            <numerusform>%n пары сохранены в %1.</numerusform>
            <numerusform>%n пар сохранено в %1.</numerusform>
        </translation>
    </message>
    <message>
        <source>Could not save the dataset</source>
        <translation>Не удалось сохранить набор данных</translation>
    </message>
    <message>
        <source>&amp;Probe confidence</source>
        <translation>&amp;Уверенность зондов</translation>
    </message>
    <message>
        <source>Layer quantities of the sentence (hidden-state norm, cosine to the last layer, change from the previous layer, surprisal)</source>
        <translation>Послойные величины предложения (норма скрытого состояния, косинус с последним слоем, изменение относительно предыдущего слоя, сюрпризал)</translation>
    </message>
    <message>
        <source>P(class | hidden state) of a trained probe set for every token and layer: for the sentence, or for both sentences of the current pair side by side</source>
        <translation>P(класс | скрытое состояние) обученного набора зондов для каждого токена и слоя: для предложения или для обоих предложений текущей пары рядом</translation>
    </message>
    <message>
        <source>Probes</source>
        <translation>Зонды</translation>
    </message>
    <message>
        <source>&amp;Train probes…</source>
        <translation>О&amp;бучить зонды…</translation>
    </message>
    <message>
        <source>Train a probe on every layer to predict a label (changed words, a UD feature, grammaticality…) from the hidden states of the current dataset, in the background; the sets are kept in the results store (Ctrl+Shift+P)</source>
        <translation>Обучить на каждом слое зонд (диагностический классификатор), предсказывающий метку (изменённые слова, UD-признак, грамматичность…) по скрытым состояниям текущего набора данных, в фоновом режиме; наборы хранятся в хранилище результатов (Ctrl+Shift+P)</translation>
    </message>
    <message>
        <source>Cancel probe trainin&amp;g</source>
        <translation>Отм&amp;енить обучение зондов</translation>
    </message>
    <message>
        <source>Stop the probe training (Esc); the hidden states already extracted stay cached for the next try</source>
        <translation>Остановить обучение зондов (Esc); уже извлечённые скрытые состояния остаются в кэше для следующей попытки</translation>
    </message>
    <message>
        <source>Show probe c&amp;onfidence</source>
        <translation>Показать &amp;уверенность зондов</translation>
    </message>
    <message>
        <source>Switch to the probe-confidence view of the sentence or pair</source>
        <translation>Переключиться на вид уверенности зондов для предложения или пары</translation>
    </message>
    <message>
        <source>The probe set was deleted.</source>
        <translation>Набор зондов удалён.</translation>
    </message>
    <message>
        <source>Exported the probe set to %1 (probes.safetensors, probes.json).</source>
        <translation>Набор зондов экспортирован в %1 (probes.safetensors, probes.json).</translation>
    </message>
    <message>
        <source>Probe training failed: %1</source>
        <translation>Ошибка обучения зондов: %1</translation>
    </message>
    <message>
        <source>Probe training failed</source>
        <translation>Ошибка обучения зондов</translation>
    </message>
    <message>
        <source>The probes could not be trained.</source>
        <translation>Не удалось обучить зонды.</translation>
    </message>
    <message>
        <source>Could not compute the probe confidence: %1</source>
        <translation>Не удалось вычислить уверенность зондов: %1</translation>
    </message>
    <message>
        <source>Could not list the probe sets: %1</source>
        <translation>Не удалось получить список наборов зондов: %1</translation>
    </message>
    <message>
        <source>Probe training cancelled; the hidden states already extracted stay cached.</source>
        <translation>Обучение зондов отменено; уже извлечённые скрытые состояния остаются в кэше.</translation>
    </message>
    <message>
        <source>Open a dataset first (File › Open dataset…, Ctrl+P): probes learn from its sentences.</source>
        <translation>Сначала откройте набор данных («Файл › Открыть набор данных…», Ctrl+P): зонды обучаются на его предложениях.</translation>
    </message>
    <message>
        <source>Probes are being trained (Esc cancels).</source>
        <translation>Идёт обучение зондов (Esc отменяет).</translation>
    </message>
    <message>
        <source>Training probes for %1 on %2… (Esc cancels)</source>
        <translation>Обучение зондов для %1 на %2… (Esc отменяет)</translation>
    </message>
    <message>
        <source>Cancelling the probe training…</source>
        <translation>Отмена обучения зондов…</translation>
    </message>
    <message>
        <source>A probe set with the same settings was already stored: %1.</source>
        <translation>Набор зондов с такими же настройками уже сохранён: %1.</translation>
    </message>
    <message>
        <source>Trained %1 in %2 s (%3 examples).</source>
        <translation>Обучено: %1 за %2 с (примеров: %3).</translation>
    </message>
    <message>
        <source>Best accuracy %1 at layer %2 (majority %3).</source>
        <translation>Лучшая точность %1 на слое %2 (мажоритарный класс: %3).</translation>
    </message>
    <message numerus="yes">
        <source>%n warning(s): hover the set in the Probes panel.</source>
        <translation>
            <numerusform>%n предупреждение: наведите указатель на набор в панели «Зонды».</numerusform>
            <numerusform>%n предупреждения: наведите указатель на набор в панели «Зонды».</numerusform>
            <numerusform>%n предупреждений: наведите указатель на набор в панели «Зонды».</numerusform>
        </translation>
    </message>
    <message>
        <source>Open a model first</source>
        <translation>Сначала откройте модель</translation>
    </message>
    <message>
        <source>Open a dataset first: probes learn from its sentences</source>
        <translation>Сначала откройте набор данных: зонды обучаются на его предложениях</translation>
    </message>
    <message>
        <source>Export probe set into folder</source>
        <translation>Экспорт набора зондов в папку</translation>
    </message>
    <message>
        <source>Exporting the probe set to %1…</source>
        <translation>Экспорт набора зондов в %1…</translation>
    </message>
    <message>
        <source>Replace the exported probe set?</source>
        <translation>Заменить экспортированный набор зондов?</translation>
    </message>
    <message>
        <source>%1 already holds an exported probe set (probes.json, probes.safetensors).</source>
        <translation>В %1 уже есть экспортированный набор зондов (probes.json, probes.safetensors).</translation>
    </message>
    <message>
        <source>&amp;Replace</source>
        <translation>&amp;Заменить</translation>
    </message>
    <message>
        <source>Delete probe set</source>
        <translation>Удаление набора зондов</translation>
    </message>
    <message>
        <source>Delete the probe set “%1”?</source>
        <translation>Удалить набор зондов «%1»?</translation>
    </message>
    <message>
        <source>Its probes and per-layer report are removed from the results store; training them again reuses the cached hidden states.</source>
        <translation>Его зонды и послойный отчёт будут удалены из хранилища результатов; повторное обучение снова использует скрытые состояния из кэша.</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>&amp;Удалить</translation>
    </message>
    <message>
        <source>No probe set for this model yet. Analysis › Train probes… (Ctrl+Shift+P) trains probes on the current dataset; their confidence for every token and layer shows here.</source>
        <translation>Для этой модели пока нет наборов зондов. «Анализ › Обучить зонды…» (Ctrl+Shift+P) обучает зонды на текущем наборе данных; здесь показывается их уверенность для каждого токена и слоя.</translation>
    </message>
    <message>
        <source>Choose a probe set.</source>
        <translation>Выберите набор зондов.</translation>
    </message>
    <message>
        <source>Choose a pair in the Datasets panel.</source>
        <translation>Выберите пару в панели «Наборы данных».</translation>
    </message>
    <message>
        <source>Grammatical</source>
        <translation>Грамматичное</translation>
    </message>
    <message>
        <source>Ungrammatical</source>
        <translation>Неграмматичное</translation>
    </message>
    <message>
        <source>Type a sentence and press Run.</source>
        <translation>Введите предложение и нажмите «Запустить».</translation>
    </message>
    <message>
        <source>&amp;Sparse autoencoders panel</source>
        <translation>Панель &amp;автокодировщиков</translation>
    </message>
    <message>
        <source>Show or hide the stored SAE sets, their metrics and the live training plot</source>
        <translation>Показать или скрыть сохранённые наборы SAE, их метрики и график обучения</translation>
    </message>
    <message>
        <source>SAE features</source>
        <translation>Признаки SAE</translation>
    </message>
    <message>
        <source>Sparse-autoencoder features of the sentence or of the current pair: which feature fires on which token, a feature across layers, and its profile over the dataset</source>
        <translation>Признаки разреженных автокодировщиков для предложения или текущей пары: какой признак активен на каком токене, признак по слоям и его профиль по набору данных</translation>
    </message>
    <message>
        <source>Sparse autoencoders</source>
        <translation>Разреженные автокодировщики</translation>
    </message>
    <message>
        <source>Train sparse a&amp;utoencoders…</source>
        <translation>Обучить &amp;разреженные автокодировщики…</translation>
    </message>
    <message>
        <source>Learn a dictionary of sparse features (TopK or ReLU + L1 autoencoders) for chosen layers from the hidden states of the current dataset, in the background; the sets are kept in the results store (Ctrl+Shift+A)</source>
        <translation>Выучить словарь разреженных признаков (автокодировщики TopK или ReLU + L1) для выбранных слоёв по скрытым состояниям текущего набора данных в фоне; наборы хранятся в хранилище результатов (Ctrl+Shift+A)</translation>
    </message>
    <message>
        <source>Cancel SAE trai&amp;ning</source>
        <translation>Отменить обу&amp;чение SAE</translation>
    </message>
    <message>
        <source>Stop the SAE training (Esc); its state is saved and training again resumes</source>
        <translation>Остановить обучение SAE (Esc); состояние сохраняется, и повторный запуск продолжает обучение</translation>
    </message>
    <message>
        <source>&amp;Import SAELens folders…</source>
        <translation>&amp;Импорт папок SAELens…</translation>
    </message>
    <message>
        <source>Store SAELens folders (cfg.json + sae_weights.safetensors) as an SAE set of the loaded model</source>
        <translation>Сохранить папки SAELens (cfg.json + sae_weights.safetensors) как набор SAE загруженной модели</translation>
    </message>
    <message>
        <source>Show SAE &amp;features</source>
        <translation>Показать при&amp;знаки SAE</translation>
    </message>
    <message>
        <source>Switch to the SAE features view of the sentence or pair</source>
        <translation>Перейти к признакам SAE для предложения или пары</translation>
    </message>
    <message>
        <source>The SAE set was deleted.</source>
        <translation>Набор SAE удалён.</translation>
    </message>
    <message>
        <source>Exported the SAE set to %1 (one SAELens folder per layer).</source>
        <translation>Набор SAE экспортирован в %1 (по папке SAELens на слой).</translation>
    </message>
    <message>
        <source>Imported the SAELens folders as an SAE set.</source>
        <translation>Папки SAELens импортированы как набор SAE.</translation>
    </message>
    <message>
        <source>SAE training failed: %1</source>
        <translation>Ошибка обучения SAE: %1</translation>
    </message>
    <message>
        <source>SAE training failed</source>
        <translation>Ошибка обучения SAE</translation>
    </message>
    <message>
        <source>The sparse autoencoders could not be trained.</source>
        <translation>Не удалось обучить разреженные автокодировщики.</translation>
    </message>
    <message>
        <source>Could not compute the SAE features: %1</source>
        <translation>Не удалось вычислить признаки SAE: %1</translation>
    </message>
    <message>
        <source>Could not follow the feature: %1</source>
        <translation>Не удалось проследить признак: %1</translation>
    </message>
    <message>
        <source>Could not index the dataset: %1</source>
        <translation>Не удалось проиндексировать набор данных: %1</translation>
    </message>
    <message>
        <source>Could not list the SAE sets: %1</source>
        <translation>Не удалось получить список наборов SAE: %1</translation>
    </message>
    <message>
        <source>SAE training cancelled; its state is saved and training again resumes it.</source>
        <translation>Обучение SAE отменено; состояние сохранено, и повторный запуск продолжит его.</translation>
    </message>
    <message>
        <source>Indexing cancelled.</source>
        <translation>Индексация отменена.</translation>
    </message>
    <message>
        <source>Open a dataset first (File › Open dataset…, Ctrl+P): autoencoders learn from its sentences.</source>
        <translation>Сначала откройте набор данных (Файл › Открыть набор данных…, Ctrl+P): автокодировщики учатся на его предложениях.</translation>
    </message>
    <message>
        <source>Sparse autoencoders are being trained (Esc cancels).</source>
        <translation>Идёт обучение разреженных автокодировщиков (Esc — отмена).</translation>
    </message>
    <message>
        <source>Training sparse autoencoders on %1… (Esc cancels)</source>
        <translation>Обучение разреженных автокодировщиков на %1… (Esc — отмена)</translation>
    </message>
    <message>
        <source>Cancelling the SAE training…</source>
        <translation>Отмена обучения SAE…</translation>
    </message>
    <message>
        <source>An SAE set with the same settings was already stored: %1.</source>
        <translation>Набор SAE с такими же настройками уже сохранён: %1.</translation>
    </message>
    <message>
        <source>Trained %1 in %2 s.</source>
        <translation>Обучено: %1 за %2 с.</translation>
    </message>
    <message>
        <source>Open a dataset first: autoencoders learn from its sentences</source>
        <translation>Сначала откройте набор данных: автокодировщики учатся на его предложениях</translation>
    </message>
    <message>
        <source>Import SAELens folder (one SAE, or a folder of layer_&lt;l&gt; folders)</source>
        <translation>Импорт папки SAELens (один SAE или папка с папками layer_&lt;l&gt;)</translation>
    </message>
    <message>
        <source>Importing SAELens folders…</source>
        <translation>Импорт папок SAELens…</translation>
    </message>
    <message>
        <source>Export SAE set as SAELens folders into</source>
        <translation>Экспортировать набор SAE как папки SAELens в</translation>
    </message>
    <message>
        <source>Exporting the SAE set to %1…</source>
        <translation>Экспорт набора SAE в %1…</translation>
    </message>
    <message>
        <source>Delete SAE set</source>
        <translation>Удаление набора SAE</translation>
    </message>
    <message>
        <source>Delete the SAE set “%1”?</source>
        <translation>Удалить набор SAE «%1»?</translation>
    </message>
    <message>
        <source>Its autoencoders and metrics are removed from the results store; training them again reuses the cached hidden states.</source>
        <translation>Его автокодировщики и метрики будут удалены из хранилища результатов; повторное обучение использует кэшированные скрытые состояния.</translation>
    </message>
    <message>
        <source>No SAE set for this model yet. Analysis › Train sparse autoencoders… (Ctrl+Shift+A) learns sparse features from the current dataset; the features of the sentence show here.</source>
        <translation>Для этой модели ещё нет набора SAE. Анализ › Обучить разреженные автокодировщики… (Ctrl+Shift+A) выучивает разреженные признаки по текущему набору данных; признаки предложения появятся здесь.</translation>
    </message>
    <message>
        <source>Choose an SAE set.</source>
        <translation>Выберите набор SAE.</translation>
    </message>
    <message>
        <source>Open a dataset to see where the feature fires in it.</source>
        <translation>Откройте набор данных, чтобы увидеть, где в нём активен признак.</translation>
    </message>
    <message>
        <source>Localized layer</source>
        <translation>Локализованный слой</translation>
    </message>
    <message>
        <source>How far a localized model&apos;s hidden states are from its parent&apos;s, per token and layer, for the sentence or both sentences of the current pair</source>
        <translation>Насколько скрытые состояния локализованной модели далеки от родительских, по токенам и слоям, для предложения или обоих предложений текущей пары</translation>
    </message>
    <message>
        <source>Train a locali&amp;zed layer…</source>
        <translation>Обучить локализованный &amp;слой…</translation>
    </message>
    <message>
        <source>Train one encoder layer of the loaded model on the current dataset&apos;s pairs so that a grammatical category lives in that layer (cosine + MLM loss)</source>
        <translation>Обучить один слой энкодера загруженной модели на парах текущего набора данных, чтобы грамматическая категория жила в этом слое (потери cos + MLM)</translation>
    </message>
    <message>
        <source>Compare with the &amp;parent…</source>
        <translation>Сравнить с ро&amp;дителем…</translation>
    </message>
    <message>
        <source>Which layers of a localized checkpoint differ from its parent, and the distance of their hidden states on the sentence or pair</source>
        <translation>Какие слои локализованного чекпойнта отличаются от родителя и насколько далеки их скрытые состояния на предложении или паре</translation>
    </message>
    <message>
        <source>Did the localization work? Standard language, activity on the category, ablation and probes, with numbers</source>
        <translation>Удалась ли локализация? Стандартный язык, активность на категории, абляция и зонды — в числах</translation>
    </message>
    <message>
        <source>Localization r&amp;eport…</source>
        <translation>Отчёт о &amp;локализации…</translation>
    </message>
</context>
<context>
    <name>gs::ui::ModelInfoPanel</name>
    <message>
        <source>The loaded model: architecture, sizes, tokenizer, device, precision and loader warnings</source>
        <translation>Загруженная модель: архитектура, размеры, токенизатор, устройство, точность и предупреждения загрузчика</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>Папка</translation>
    </message>
    <message>
        <source>Architecture</source>
        <translation>Архитектура</translation>
    </message>
    <message>
        <source>Layers</source>
        <translation>Слои</translation>
    </message>
    <message>
        <source>Hidden size</source>
        <translation>Размер скрытого состояния</translation>
    </message>
    <message>
        <source>Attention heads</source>
        <translation>Головы внимания</translation>
    </message>
    <message>
        <source>Feed-forward size</source>
        <translation>Размер полносвязного слоя</translation>
    </message>
    <message>
        <source>Max. length</source>
        <translation>Макс. длина</translation>
    </message>
    <message>
        <source>%1 tokens</source>
        <translation>%1 токенов</translation>
    </message>
    <message>
        <source>Vocabulary</source>
        <translation>Словарь</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>Параметры</translation>
    </message>
    <message>
        <source>Weights</source>
        <translation>Веса</translation>
    </message>
    <message>
        <source>Tokenizer</source>
        <translation>Токенизатор</translation>
    </message>
    <message>
        <source>MLM head</source>
        <translation>MLM-голова</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>да</translation>
    </message>
    <message>
        <source>no</source>
        <translation>нет</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>Устройство</translation>
    </message>
    <message>
        <source>Precision</source>
        <translation>Точность</translation>
    </message>
    <message>
        <source>Threads</source>
        <translation>Потоки</translation>
    </message>
    <message>
        <source>Warnings</source>
        <translation>Предупреждения</translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation>Загрузка %1…</translation>
    </message>
    <message>
        <source>No model loaded. Open a Hugging Face checkpoint folder (config.json, weights and tokenizer files) with File › Open model folder…, or drop the folder onto the window.</source>
        <translation>Модель не загружена. Откройте папку с чекпойнтом Hugging Face (config.json, веса и файлы токенизатора) через «Файл › Открыть папку модели…» или перетащите папку в окно.</translation>
    </message>
</context>
<context>
    <name>gs::ui::ModelOptionsMenu</name>
    <message>
        <source>&amp;Model</source>
        <translation>&amp;Модель</translation>
    </message>
    <message>
        <source>&amp;Precision</source>
        <translation>&amp;Точность</translation>
    </message>
    <message>
        <source>fp32 (exact)</source>
        <translation>fp32 (точно)</translation>
    </message>
    <message>
        <source>bf16 (faster on CPUs with AMX / AVX-512, less precise)</source>
        <translation>bf16 (быстрее на CPU с AMX / AVX-512, менее точно)</translation>
    </message>
    <message>
        <source>Weights and activations in %1; applies when a model is (re)loaded</source>
        <translation>Веса и активации в %1; применяется при (пере)загрузке модели</translation>
    </message>
    <message>
        <source>&amp;Device</source>
        <translation>&amp;Устройство</translation>
    </message>
    <message>
        <source>Automatic (CUDA when available)</source>
        <translation>Автоматически (CUDA, если доступна)</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>CUDA</source>
        <translation>CUDA</translation>
    </message>
    <message>
        <source>CUDA (not available in this build)</source>
        <translation>CUDA (недоступна в этой сборке)</translation>
    </message>
    <message>
        <source>Where the model runs; applies when a model is (re)loaded</source>
        <translation>Где выполняется модель; применяется при (пере)загрузке модели</translation>
    </message>
    <message>
        <source>Number of CPU threads used by the model; applies when a model is (re)loaded</source>
        <translation>Число потоков CPU, используемых моделью; применяется при (пере)загрузке модели</translation>
    </message>
    <message>
        <source>&amp;Reload model</source>
        <translation>Пере&amp;загрузить модель</translation>
    </message>
    <message>
        <source>CPU threads</source>
        <translation>Потоки CPU</translation>
    </message>
    <message>
        <source>Threads for the model (0 = one per hardware thread, %1 here):</source>
        <translation>Потоки для модели (0 — по одному на аппаратный поток, здесь %1):</translation>
    </message>
    <message>
        <source>&amp;Threads: automatic…</source>
        <translation>&amp;Потоки: автоматически…</translation>
    </message>
    <message>
        <source>&amp;Threads: %1…</source>
        <translation>&amp;Потоки: %1…</translation>
    </message>
    <message>
        <source>Load the open model again with the options above (Ctrl+Shift+R)</source>
        <translation>Загрузить открытую модель заново с указанными выше параметрами (Ctrl+Shift+R)</translation>
    </message>
</context>
<context>
    <name>gs::ui::PairView</name>
    <message>
        <source>&amp;Grammatical</source>
        <translation>&amp;Грамматичное</translation>
    </message>
    <message>
        <source>Show the heatmap of the grammatical sentence (Alt+G)</source>
        <translation>Показать тепловую карту грамматичного предложения (Alt+G)</translation>
    </message>
    <message>
        <source>&amp;Ungrammatical</source>
        <translation>&amp;Неграмматичное</translation>
    </message>
    <message>
        <source>Show the heatmap of the ungrammatical sentence (Alt+U)</source>
        <translation>Показать тепловую карту неграмматичного предложения (Alt+U)</translation>
    </message>
    <message>
        <source>The grammatical sentence; the words that differ are highlighted. Click to show its heatmap.</source>
        <translation>Грамматичное предложение; различающиеся слова выделены. Щёлкните, чтобы показать его тепловую карту.</translation>
    </message>
    <message>
        <source>The ungrammatical sentence; the words that differ are highlighted. Click to show its heatmap.</source>
        <translation>Неграмматичное предложение; различающиеся слова выделены. Щёлкните, чтобы показать его тепловую карту.</translation>
    </message>
    <message>
        <source>Id, phenomenon and the changed words of the chosen item</source>
        <translation>Идентификатор, явление и изменённые слова выбранного элемента</translation>
    </message>
    <message>
        <source>the two sentences are identical</source>
        <translation>предложения совпадают</translation>
    </message>
    <message>
        <source>changed: %1</source>
        <translation>изменено: %1</translation>
    </message>
    <message>
        <source>line %1</source>
        <translation>строка %1</translation>
    </message>
    <message>
        <source>UD annotation: hover a word</source>
        <translation>Разметка UD: наведите указатель на слово</translation>
    </message>
    <message>
        <source>Choose a pair in the list above.</source>
        <translation>Выберите пару в списке выше.</translation>
    </message>
    <message>
        <source>Sentence</source>
        <translation>Предложение</translation>
    </message>
</context>
<context>
    <name>gs::ui::PolypersonalDialog</name>
    <message>
        <source>Generate polypersonal pairs from CoNLL-U</source>
        <translation>Генерация полиперсональных пар из CoNLL-U</translation>
    </message>
    <message>
        <source>Every verb with a direct object (Case=Acc, relation obj) gets the marker of the first matching rule; each changed sentence becomes a pair (standard Russian, polypersonal Russian).</source>
        <translation>Каждый глагол с прямым дополнением (Case=Acc, отношение obj) получает показатель первого подходящего правила; каждое изменённое предложение становится парой (стандартный русский, полиперсональный русский).</translation>
    </message>
    <message>
        <source>The Universal Dependencies files to transform, read in this order</source>
        <translation>Файлы Universal Dependencies для преобразования, читаются в этом порядке</translation>
    </message>
    <message>
        <source>&amp;Add files…</source>
        <translation>&amp;Добавить файлы…</translation>
    </message>
    <message>
        <source>Choose CoNLL-U files (*.conllu)</source>
        <translation>Выберите файлы CoNLL-U (*.conllu)</translation>
    </message>
    <message>
        <source>Re&amp;move</source>
        <translation>&amp;Убрать</translation>
    </message>
    <message>
        <source>Remove the chosen file from the list</source>
        <translation>Убрать выбранный файл из списка</translation>
    </message>
    <message>
        <source>CoNLL-U files</source>
        <translation>Файлы CoNLL-U</translation>
    </message>
    <message>
        <source>&amp;Open rules…</source>
        <translation>&amp;Открыть правила…</translation>
    </message>
    <message>
        <source>Load a rule table (JSON: kind, endings, rules)</source>
        <translation>Загрузить таблицу правил (JSON: kind, endings, rules)</translation>
    </message>
    <message>
        <source>Sa&amp;ve rules as…</source>
        <translation>&amp;Сохранить правила как…</translation>
    </message>
    <message>
        <source>Write the table as rule-table JSON (usable with the CLI too)</source>
        <translation>Записать таблицу в JSON-формате таблицы правил (подходит и для CLI)</translation>
    </message>
    <message>
        <source>&amp;Default rules</source>
        <translation>Правила по у&amp;молчанию</translation>
    </message>
    <message>
        <source>Go back to the shipped rule table (methods.md §1)</source>
        <translation>Вернуться к поставляемой таблице правил (methods.md §1)</translation>
    </message>
    <message>
        <source>Rule table</source>
        <translation>Таблица правил</translation>
    </message>
    <message>
        <source>Only objects of &amp;finite verbs (strict variant)</source>
        <translation>Только дополнения &amp;финитных глаголов (строгий вариант)</translation>
    </message>
    <message>
        <source>Change a verb only when its head has VerbForm=Fin (no infinitives, participles)</source>
        <translation>Изменять глагол, только если у его вершины VerbForm=Fin (без инфинитивов и причастий)</translation>
    </message>
    <message>
        <source>Progress of the generation; Cancel stops it</source>
        <translation>Ход генерации; «Отмена» останавливает её</translation>
    </message>
    <message>
        <source>&amp;Generate</source>
        <translation>С&amp;генерировать</translation>
    </message>
    <message>
        <source>Read the files and generate the pairs in the background; the result opens in the dataset browser</source>
        <translation>Прочитать файлы и сгенерировать пары в фоновом режиме; результат откроется в обозревателе наборов данных</translation>
    </message>
    <message>
        <source>&amp;Cancel job</source>
        <translation>О&amp;тменить задание</translation>
    </message>
    <message>
        <source>Stop the running generation (Esc)</source>
        <translation>Остановить выполняющуюся генерацию (Esc)</translation>
    </message>
    <message>
        <source>&amp;Save as CSV…</source>
        <translation>Со&amp;хранить как CSV…</translation>
    </message>
    <message>
        <source>Save the generated pairs as a Grammascope CSV file</source>
        <translation>Сохранить сгенерированные пары в CSV-файл Grammascope</translation>
    </message>
    <message>
        <source>Close this dialog (the generated dataset stays open in the browser)</source>
        <translation>Закрыть это окно (сгенерированный набор данных остаётся открытым в обозревателе)</translation>
    </message>
    <message>
        <source>Choose CoNLL-U files</source>
        <translation>Выберите файлы CoNLL-U</translation>
    </message>
    <message>
        <source>CoNLL-U (*.conllu);;All files (*)</source>
        <translation>CoNLL-U (*.conllu);;Все файлы (*)</translation>
    </message>
    <message>
        <source>Open a rule table</source>
        <translation>Открыть таблицу правил</translation>
    </message>
    <message>
        <source>Rule tables (*.json);;All files (*)</source>
        <translation>Таблицы правил (*.json);;Все файлы (*)</translation>
    </message>
    <message>
        <source>Could not read the rule table</source>
        <translation>Не удалось прочитать таблицу правил</translation>
    </message>
    <message>
        <source>Rules from %1</source>
        <translation>Правила из %1</translation>
    </message>
    <message>
        <source>Save the rule table</source>
        <translation>Сохранить таблицу правил</translation>
    </message>
    <message>
        <source>Rule tables (*.json)</source>
        <translation>Таблицы правил (*.json)</translation>
    </message>
    <message>
        <source>Could not save the rule table</source>
        <translation>Не удалось сохранить таблицу правил</translation>
    </message>
    <message>
        <source>Built-in rules (methods.md §1)</source>
        <translation>Встроенные правила (methods.md §1)</translation>
    </message>
    <message>
        <source>polypersonal-rules.json was not found; these are the generator&apos;s built-in rules</source>
        <translation>polypersonal-rules.json не найден; это встроенные правила генератора</translation>
    </message>
    <message>
        <source>Starting… %p%</source>
        <translation>Запуск… %p%</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Отмена…</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Отменено</translation>
    </message>
    <message>
        <source>Cancelled: nothing was generated.</source>
        <translation>Отменено: ничего не сгенерировано.</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Ошибка</translation>
    </message>
    <message>
        <source>&lt;span style=&apos;color:#c62828&apos;&gt;%1&lt;/span&gt;</source>
        <translation>&lt;span style=&apos;color:#c62828&apos;&gt;%1&lt;/span&gt;</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Готово</translation>
    </message>
    <message>
        <source>%1 pairs from %2 sentences: %3 direct objects, %4 verbs changed.</source>
        <translation>%1 пар из %2 предложений: прямых дополнений — %3, изменено глаголов — %4.</translation>
    </message>
    <message>
        <source>%1 with no matching rule</source>
        <translation>%1 — нет подходящего правила</translation>
    </message>
    <message>
        <source>%1 whose head is not a verb</source>
        <translation>%1 — вершина не глагол</translation>
    </message>
    <message>
        <source>%1 of non-finite verbs</source>
        <translation>%1 — у нефинитных глаголов</translation>
    </message>
    <message>
        <source>%1 whose verb already agrees with an earlier object</source>
        <translation>%1 — глагол уже согласован с более ранним дополнением</translation>
    </message>
    <message>
        <source>%1 whose verb is inside a contracted token</source>
        <translation>%1 — глагол внутри стяжённого токена</translation>
    </message>
    <message>
        <source>Objects skipped: %1.</source>
        <translation>Пропущено дополнений: %1.</translation>
    </message>
    <message numerus="yes">
        <source>%n malformed sentence(s) skipped while reading (hover for the list).</source>
        <translation>
            <numerusform>При чтении пропущено %n некорректное предложение (список — во всплывающей подсказке).</numerusform>
            <numerusform>При чтении пропущено %n некорректных предложения (список — во всплывающей подсказке).</numerusform>
            <numerusform>При чтении пропущено %n некорректных предложений (список — во всплывающей подсказке).</numerusform>
        </translation>
    </message>
    <message>
        <source>Save polypersonal pairs</source>
        <translation>Сохранить полиперсональные пары</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>Файлы CSV (*.csv)</translation>
    </message>
    <message>
        <source>Saved to %1.</source>
        <translation>Сохранено в %1.</translation>
    </message>
    <message>
        <source>Could not save the pairs</source>
        <translation>Не удалось сохранить пары</translation>
    </message>
    <message>
        <source>Add at least one CoNLL-U file first</source>
        <translation>Сначала добавьте хотя бы один файл CoNLL-U</translation>
    </message>
    <message>
        <source>Fix the rule table first: %1</source>
        <translation>Сначала исправьте таблицу правил: %1</translation>
    </message>
    <message>
        <source>Read the files and generate the pairs in the background</source>
        <translation>Прочитать файлы и сгенерировать пары в фоновом режиме</translation>
    </message>
</context>
<context>
    <name>gs::ui::PolypersonalRulesEditor</name>
    <message>
        <source>any</source>
        <translation>любое</translation>
    </message>
    <message>
        <source>singular</source>
        <translation>единственное</translation>
    </message>
    <message>
        <source>plural</source>
        <translation>множественное</translation>
    </message>
    <message>
        <source>table default</source>
        <translation>по умолчанию таблицы</translation>
    </message>
    <message>
        <source>suffix</source>
        <translation>суффикс</translation>
    </message>
    <message>
        <source>infix</source>
        <translation>инфикс</translation>
    </message>
    <message>
        <source>Suffix: the marker goes after the verb form; infix: before its inflectional ending</source>
        <translation>Суффикс: показатель ставится после глагольной формы; инфикс: перед её флексией</translation>
    </message>
    <message>
        <source>Verb endings an infix marker goes before, separated by spaces (the longest that matches is used); needed by infix rules only</source>
        <translation>Глагольные окончания, перед которыми ставится инфиксный показатель, через пробел (используется самое длинное совпадение); нужны только инфиксным правилам</translation>
    </message>
    <message>
        <source>Object lemma</source>
        <translation>Лемма дополнения</translation>
    </message>
    <message>
        <source>Object number</source>
        <translation>Число дополнения</translation>
    </message>
    <message>
        <source>Marker</source>
        <translation>Показатель</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Тип</translation>
    </message>
    <message>
        <source>The first rule that matches the verb&apos;s direct object decides the marker. An empty lemma and number &apos;any&apos; match every object. Double-click a cell to edit it.</source>
        <translation>Показатель определяет первое правило, подходящее к прямому дополнению глагола. Пустая лемма и число «любое» подходят к любому дополнению. Дважды щёлкните ячейку, чтобы изменить её.</translation>
    </message>
    <message>
        <source>Add rule</source>
        <translation>Добавить правило</translation>
    </message>
    <message>
        <source>Add a rule below the chosen one</source>
        <translation>Добавить правило под выбранным</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Удалить</translation>
    </message>
    <message>
        <source>Remove the chosen rule</source>
        <translation>Удалить выбранное правило</translation>
    </message>
    <message>
        <source>▲</source>
        <translation>▲</translation>
    </message>
    <message>
        <source>Move the chosen rule up: earlier rules win</source>
        <translation>Переместить выбранное правило выше: более ранние правила имеют приоритет</translation>
    </message>
    <message>
        <source>▼</source>
        <translation>▼</translation>
    </message>
    <message>
        <source>Move the chosen rule down</source>
        <translation>Переместить выбранное правило ниже</translation>
    </message>
    <message>
        <source>Default &amp;kind:</source>
        <translation>Тип &amp;по умолчанию:</translation>
    </message>
    <message>
        <source>&amp;Endings:</source>
        <translation>Окон&amp;чания:</translation>
    </message>
    <message>
        <source>The object&apos;s lemma (я, мы, ты, вы, ...); empty: any object</source>
        <translation>Лемма дополнения (я, мы, ты, вы, ...); пусто: любое дополнение</translation>
    </message>
    <message>
        <source>What is added to the verb form</source>
        <translation>Что добавляется к глагольной форме</translation>
    </message>
    <message>
        <source>The object&apos;s grammatical number; any: either</source>
        <translation>Грамматическое число дополнения; «любое»: любое из двух</translation>
    </message>
    <message>
        <source>Where this rule&apos;s marker goes; table default: the default kind above</source>
        <translation>Куда ставится показатель этого правила; «по умолчанию таблицы»: тип по умолчанию, указанный выше</translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation>Не удалось записать %1: %2</translation>
    </message>
    <message>
        <source>Rule %1 has no marker.</source>
        <translation>В правиле %1 нет показателя.</translation>
    </message>
    <message numerus="yes">
        <source>✓ %n rule(s), checked by the generator&apos;s parser.</source>
        <translation>
            <numerusform>✓ %n правило, проверено парсером генератора.</numerusform>
            <numerusform>✓ %n правила, проверены парсером генератора.</numerusform>
            <numerusform>✓ %n правил, проверены парсером генератора.</numerusform>
        </translation>
    </message>
    <message>
        <source>✗ %1</source>
        <translation>✗ %1</translation>
    </message>
</context>
<context>
    <name>gs::ui::ProbeDialog</name>
    <message>
        <source>Needs minimal pairs: %1 has single sentences only.</source>
        <translation>Нужны минимальные пары: в %1 только отдельные предложения.</translation>
    </message>
    <message>
        <source>Needs Universal Dependencies annotation (a CoNLL-U dataset): %1 has none.</source>
        <translation>Нужна разметка Universal Dependencies (набор данных CoNLL-U): в %1 её нет.</translation>
    </message>
    <message>
        <source>Needs pairs whose phenomenon names polypersonal agreement (Tools › Generate polypersonal pairs…): %1 has none.</source>
        <translation>Нужны пары, в названии явления которых указано полиперсональное согласование («Инструменты › Сгенерировать полиперсональные пары…»): в %1 таких нет.</translation>
    </message>
    <message>
        <source>Train probes</source>
        <translation>Обучение зондов</translation>
    </message>
    <message>
        <source>UD feature…</source>
        <translation>UD-признак…</translation>
    </message>
    <message>
        <source>(one vector per sentence)</source>
        <translation>(один вектор на предложение)</translation>
    </message>
    <message>
        <source>&amp;Feature:</source>
        <translation>&amp;Признак:</translation>
    </message>
    <message>
        <source>The Universal Dependencies feature whose value the probe predicts (words without it are not used)</source>
        <translation>Признак Universal Dependencies, значение которого предсказывает зонд (слова без него не используются)</translation>
    </message>
    <message>
        <source>What one example is: a token, a word (its sub-token vectors pooled) or a sentence</source>
        <translation>Что считается одним примером: токен, слово (векторы его подтокенов объединяются) или предложение</translation>
    </message>
    <message>
        <source>Linear (logistic regression)</source>
        <translation>Линейный (лог. регрессия)</translation>
    </message>
    <message>
        <source>MLP (one hidden layer)</source>
        <translation>MLP (1 скрытый слой)</translation>
    </message>
    <message>
        <source>A linear probe shows what is linearly readable; an MLP finds more but says less about the representation (compare the control task)</source>
        <translation>Линейный зонд показывает, что считывается линейно; MLP находит больше, но меньше говорит о самом представлении (сравните с контрольной задачей)</translation>
    </message>
    <message>
        <source> hidden units</source>
        <translation> нейронов</translation>
    </message>
    <message>
        <source>Width of the MLP&apos;s hidden layer</source>
        <translation>Ширина скрытого слоя MLP</translation>
    </message>
    <message>
        <source>L2 weight decay λ of the probe&apos;s weights</source>
        <translation>Коэффициент L2-регуляризации (затухания весов) λ для весов зонда</translation>
    </message>
    <message>
        <source>all (emb, 1–%1)</source>
        <translation>все (эмб., 1–%1)</translation>
    </message>
    <message>
        <source>Layers to probe: empty for every layer, or a list such as &quot;0-3, 6&quot; (0 = embeddings)</source>
        <translation>Слои для зондирования: пусто — все слои, или список вида &quot;0-3, 6&quot; (0 — эмбеддинги)</translation>
    </message>
    <message>
        <source>&amp;Control task (selectivity)</source>
        <translation>&amp;Контрольная задача (селективность)</translation>
    </message>
    <message>
        <source>Hewitt &amp; Liang: the same probe on random labels per word type; selectivity = accuracy − control accuracy</source>
        <translation>Hewitt &amp; Liang: тот же зонд на случайных метках для каждого типа слова; селективность = точность − точность на контрольной задаче</translation>
    </message>
    <message>
        <source>&amp;MDL online code</source>
        <translation>&amp;MDL (онлайн-кодирование)</translation>
    </message>
    <message>
        <source>Voita &amp; Titov: codelength of the labels given the representations, in kbits, and the compression over a uniform code; trains a probe per block</source>
        <translation>Voita &amp; Titov: длина кода меток при данных представлениях, в кбитах, и сжатие относительно равномерного кода; обучает зонд на каждый блок</translation>
    </message>
    <message>
        <source>&amp;Sliced mutual information (SMI)</source>
        <translation>Срезовая взаимная информация (&amp;SMI)</translation>
    </message>
    <message>
        <source>Goldfeld &amp; Greenewald: mean mutual information over random 1-D projections, in bits</source>
        <translation>Goldfeld &amp; Greenewald: средняя взаимная информация по случайным одномерным проекциям, в битах</translation>
    </message>
    <message>
        <source>Learning curve at la&amp;yer</source>
        <translation>Кр&amp;ивая обучения на слое</translation>
    </message>
    <message>
        <source>Bayesian mutual information against the number of training examples (several probes per size: takes longer)</source>
        <translation>Байесовская взаимная информация в зависимости от числа обучающих примеров (по несколько зондов на каждый размер: занимает больше времени)</translation>
    </message>
    <message>
        <source>most accurate</source>
        <translation>самом точном</translation>
    </message>
    <message>
        <source>all</source>
        <translation>все</translation>
    </message>
    <message>
        <source>Use a random subset of sentences with about this many examples (0 = all): faster on a large dataset</source>
        <translation>Использовать случайное подмножество предложений примерно с таким числом примеров (0 — все): быстрее на большом наборе данных</translation>
    </message>
    <message>
        <source>Seed of the split, the subset, the control labels and the probes&apos; initialisation: the same seed gives the same result</source>
        <translation>Сид для разбиения, подмножества, контрольных меток и инициализации зондов: одинаковый сид даёт одинаковый результат</translation>
    </message>
    <message>
        <source>&amp;Reuse a stored set trained with the same settings</source>
        <translation>Взять &amp;готовый набор, обученный с теми же настройками</translation>
    </message>
    <message>
        <source>Show the stored probe set instead of training again when nothing changed</source>
        <translation>Показать сохранённый набор зондов вместо повторного обучения, если ничего не изменилось</translation>
    </message>
    <message>
        <source>What to probe</source>
        <translation>Что зондировать</translation>
    </message>
    <message>
        <source>T&amp;ask:</source>
        <translation>&amp;Задача:</translation>
    </message>
    <message>
        <source>&amp;Unit:</source>
        <translation>&amp;Единица:</translation>
    </message>
    <message>
        <source>Probe</source>
        <translation>Зонд</translation>
    </message>
    <message>
        <source>&amp;Kind:</source>
        <translation>&amp;Тип:</translation>
    </message>
    <message>
        <source>&amp;Weight decay λ:</source>
        <translation>Затухание &amp;весов λ:</translation>
    </message>
    <message>
        <source>&amp;Layers:</source>
        <translation>С&amp;лои:</translation>
    </message>
    <message>
        <source>Also measure</source>
        <translation>Также измерить</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>Данные</translation>
    </message>
    <message>
        <source>%1 pairs</source>
        <translation>%1 пар</translation>
    </message>
    <message>
        <source>%1 items, %2 pairs</source>
        <translation>%1 элементов, %2 пар</translation>
    </message>
    <message>
        <source>· %1 with UD annotation</source>
        <translation>· %1 с разметкой UD</translation>
    </message>
    <message>
        <source>Dataset:</source>
        <translation>Набор данных:</translation>
    </message>
    <message>
        <source>E&amp;xamples at most:</source>
        <translation>&amp;Не более примеров:</translation>
    </message>
    <message>
        <source>S&amp;eed:</source>
        <translation>&amp;Сид:</translation>
    </message>
    <message>
        <source>&amp;Train</source>
        <translation>&amp;Обучить</translation>
    </message>
    <message>
        <source>Train a probe on every chosen layer in the background (progress in the Probes panel; Esc cancels)</source>
        <translation>Обучить зонд на каждом выбранном слое в фоновом режиме (ход — в панели «Зонды»; Esc отменяет)</translation>
    </message>
    <message>
        <source>Sentence: mean of its tokens</source>
        <translation>Предложение: среднее по его токенам</translation>
    </message>
    <message>
        <source>Sentence: first token ([CLS])</source>
        <translation>Предложение: первый токен ([CLS])</translation>
    </message>
    <message>
        <source>Token</source>
        <translation>Токен</translation>
    </message>
    <message>
        <source>Word: mean of its sub-tokens</source>
        <translation>Слово: среднее по его подтокенам</translation>
    </message>
    <message>
        <source>Word: first sub-token</source>
        <translation>Слово: первый подтокен</translation>
    </message>
    <message>
        <source>Choose a task.</source>
        <translation>Выберите задачу.</translation>
    </message>
    <message>
        <source>Name the UD feature to probe.</source>
        <translation>Укажите UD-признак для зондирования.</translation>
    </message>
    <message>
        <source>Layers: a list of numbers and ranges between 0 and %1, such as &quot;0-3, 6&quot;.</source>
        <translation>Слои: список чисел и диапазонов от 0 до %1, например &quot;0-3, 6&quot;.</translation>
    </message>
    <message>
        <source>The learning curve&apos;s layer %1 is not among the probed layers.</source>
        <translation>Слой %1 для кривой обучения не входит в число зондируемых слоёв.</translation>
    </message>
</context>
<context>
    <name>gs::ui::ProbePanel</name>
    <message>
        <source>Layer</source>
        <translation>Слой</translation>
    </message>
    <message>
        <source>emb = the embedding output</source>
        <translation>emb — выход слоя эмбеддингов</translation>
    </message>
    <message>
        <source>Accuracy</source>
        <translation>Точность</translation>
    </message>
    <message>
        <source>Probe accuracy on the test split (sentences never seen in training)</source>
        <translation>Точность зонда на тестовой выборке (предложения, не встречавшиеся при обучении)</translation>
    </message>
    <message>
        <source>Macro-F1</source>
        <translation>Macro-F1</translation>
    </message>
    <message>
        <source>Mean F1 over the classes: low when a rare class is missed</source>
        <translation>Среднее F1 по классам: низкое, если пропущен редкий класс</translation>
    </message>
    <message>
        <source>Majority</source>
        <translation>Мажоритарный</translation>
    </message>
    <message>
        <source>Accuracy of always answering the most frequent training class</source>
        <translation>Базовый уровень (мажоритарный класс): точность постоянного ответа самым частым классом обучающей выборки</translation>
    </message>
    <message>
        <source>Control</source>
        <translation>Контроль</translation>
    </message>
    <message>
        <source>Accuracy of the same probe on the control task (random labels per word type)</source>
        <translation>Точность того же зонда на контрольной задаче (случайные метки для каждого типа слова)</translation>
    </message>
    <message>
        <source>Selectivity</source>
        <translation>Селективность</translation>
    </message>
    <message>
        <source>Accuracy − control accuracy: what the probe reads from the representation rather than memorises</source>
        <translation>Точность − точность на контрольной задаче: то, что зонд считывает из представления, а не запоминает</translation>
    </message>
    <message>
        <source>MI (bits)</source>
        <translation>MI (бит)</translation>
    </message>
    <message>
        <source>Bayesian mutual information H(T) − H_q(T|R) on the test split, in bits</source>
        <translation>Байесовская взаимная информация H(T) − H_q(T|R) на тестовой выборке, в битах</translation>
    </message>
    <message>
        <source>MDL (kbits)</source>
        <translation>MDL (кбит)</translation>
    </message>
    <message>
        <source>Online codelength of the labels given the representations (lower: easier to extract)</source>
        <translation>Онлайн-длина кода меток при данных представлениях (меньше — легче извлечь)</translation>
    </message>
    <message>
        <source>Compression</source>
        <translation>Сжатие</translation>
    </message>
    <message>
        <source>Uniform codelength / online codelength (higher: easier to extract)</source>
        <translation>Длина равномерного кода / онлайн-длина кода (больше — легче извлечь)</translation>
    </message>
    <message>
        <source>SMI (bits)</source>
        <translation>SMI (бит)</translation>
    </message>
    <message>
        <source>Sliced mutual information: mean MI over random 1-D projections (not MI)</source>
        <translation>Срезовая взаимная информация (SMI): средняя MI по случайным одномерным проекциям (это не MI)</translation>
    </message>
    <message>
        <source>Tra&amp;in…</source>
        <translation>&amp;Обучить…</translation>
    </message>
    <message>
        <source>Train probes on the current dataset (Analysis › Train probes…, Ctrl+Shift+P)</source>
        <translation>Обучить зонды на текущем наборе данных («Анализ › Обучить зонды…», Ctrl+Shift+P)</translation>
    </message>
    <message>
        <source>E&amp;xport…</source>
        <translation>&amp;Экспорт…</translation>
    </message>
    <message>
        <source>Write the chosen probe set (weights as safetensors, report as JSON) into a folder</source>
        <translation>Записать выбранный набор зондов (веса в safetensors, отчёт в JSON) в папку</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>Удали&amp;ть</translation>
    </message>
    <message>
        <source>Delete the chosen probe set from the results store</source>
        <translation>Удалить выбранный набор зондов из хранилища результатов</translation>
    </message>
    <message>
        <source>Probe sets of this model:</source>
        <translation>Наборы зондов этой модели:</translation>
    </message>
    <message>
        <source>Probe sets trained for the loaded model, newest first; they are kept in the results store</source>
        <translation>Наборы зондов, обученные для загруженной модели, сначала новые; они хранятся в хранилище результатов</translation>
    </message>
    <message>
        <source>Steps of the training done (hidden states, then each layer&apos;s probe and measures)</source>
        <translation>Этапы обучения (скрытые состояния, затем зонд и показатели каждого слоя)</translation>
    </message>
    <message>
        <source>Cancel the training (Esc)</source>
        <translation>Отменить обучение (Esc)</translation>
    </message>
    <message>
        <source>Every number per layer; Ctrl+C or the context menu copies the table</source>
        <translation>Все показатели по слоям; Ctrl+C или контекстное меню копирует таблицу</translation>
    </message>
    <message>
        <source>Information (bits)</source>
        <translation>Информация (бит)</translation>
    </message>
    <message>
        <source>Training examples</source>
        <translation>Обучающие примеры</translation>
    </message>
    <message>
        <source>Bayesian MI (bits)</source>
        <translation>Байесовская MI (бит)</translation>
    </message>
    <message>
        <source>Per layer</source>
        <translation>По слоям</translation>
    </message>
    <message>
        <source>Learning curve</source>
        <translation>Кривая обучения</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Запуск…</translation>
    </message>
    <message>
        <source>%1 / %2 sentences</source>
        <translation>%1 / %2 предложений</translation>
    </message>
    <message>
        <source>%1 tokens/s</source>
        <translation>%1 токенов/с</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Отмена…</translation>
    </message>
    <message>
        <source>No probe set for this model yet: Train… probes a task on every layer of the current dataset.</source>
        <translation>Для этой модели пока нет наборов зондов: «Обучить…» зондирует задачу на каждом слое текущего набора данных.</translation>
    </message>
    <message>
        <source>Choose a probe set to see its report.</source>
        <translation>Выберите набор зондов, чтобы увидеть его отчёт.</translation>
    </message>
    <message>
        <source>%1 examples from %2 sentences · classes: %3</source>
        <translation>%1 примеров из %2 предложений · классы: %3</translation>
    </message>
    <message numerus="yes">
        <source>%n warning(s) (hover the set)</source>
        <translation>
            <numerusform>%n предупреждение (наведите указатель на набор)</numerusform>
            <numerusform>%n предупреждения (наведите указатель на набор)</numerusform>
            <numerusform>%n предупреждений (наведите указатель на набор)</numerusform>
        </translation>
    </message>
    <message>
        <source>MI, bits ▸</source>
        <translation>MI, бит ▸</translation>
    </message>
    <message>
        <source>SMI, bits ▸</source>
        <translation>SMI, бит ▸</translation>
    </message>
    <message>
        <source>Bayesian MI against the number of training examples, at layer %1</source>
        <translation>Байесовская MI в зависимости от числа обучающих примеров, на слое %1</translation>
    </message>
    <message>
        <source>This set has no learning curve (Train… › Learning curve)</source>
        <translation>У этого набора нет кривой обучения («Обучить… › Кривая обучения»)</translation>
    </message>
    <message>
        <source>Bayesian MI</source>
        <translation>Байесовская MI</translation>
    </message>
    <message>
        <source>&lt;b&gt;Layer %1&lt;/b&gt;</source>
        <translation>&lt;b&gt;Слой %1&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Majority baseline</source>
        <translation>Базовый уровень (мажоритарный класс)</translation>
    </message>
    <message>
        <source>Control accuracy</source>
        <translation>Точность на контрольной задаче</translation>
    </message>
    <message>
        <source>MI</source>
        <translation>MI</translation>
    </message>
    <message>
        <source>%1 bits (H(T) %2 − H_q(T|R) %3)</source>
        <translation>%1 бит (H(T) %2 − H_q(T|R) %3)</translation>
    </message>
    <message>
        <source>MDL</source>
        <translation>MDL</translation>
    </message>
    <message>
        <source>%1 kbits, compression %2</source>
        <translation>%1 кбит, сжатие %2</translation>
    </message>
    <message>
        <source>SMI</source>
        <translation>SMI</translation>
    </message>
    <message>
        <source>%1 bits</source>
        <translation>%1 бит</translation>
    </message>
    <message>
        <source>Rows</source>
        <translation>Строки</translation>
    </message>
    <message>
        <source>%1 train · %2 dev · %3 test</source>
        <translation>%1 обуч. · %2 вал. · %3 тест.</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>Эпохи</translation>
    </message>
    <message>
        <source>Random</source>
        <translation>Случайные</translation>
    </message>
    <message>
        <source>Accuracy of the same probe on random vectors of the layer&apos;s width instead of the hidden states: what the label distribution alone gives</source>
        <translation>Точность того же зонда на случайных векторах ширины слоя вместо скрытых состояний: сколько даёт одно распределение меток</translation>
    </message>
    <message>
        <source>Random vectors</source>
        <translation>Случайные векторы</translation>
    </message>
    <message>
        <source>Random representation</source>
        <translation>Случайное представление</translation>
    </message>
</context>
<context>
    <name>gs::ui::ProbeView</name>
    <message>
        <source>The probe set whose confidence is drawn (trained with Analysis › Train probes…)</source>
        <translation>Набор зондов, уверенность которого отображается (обучается через «Анализ › Обучить зонды…»)</translation>
    </message>
    <message>
        <source>The class whose probability P(class | hidden state) each cell shows</source>
        <translation>Класс, вероятность P(класс | скрытое состояние) которого показывает каждая ячейка</translation>
    </message>
    <message>
        <source>Current pair side &amp;by side</source>
        <translation>Текущая пара &amp;рядом</translation>
    </message>
    <message>
        <source>Show both sentences of the pair chosen in the Datasets panel: grammatical left, ungrammatical right</source>
        <translation>Показать оба предложения пары, выбранной в панели «Наборы данных»: грамматичное слева, неграмматичное справа</translation>
    </message>
    <message>
        <source>Probe s&amp;et:</source>
        <translation>На&amp;бор зондов:</translation>
    </message>
    <message>
        <source>&amp;Class:</source>
        <translation>&amp;Класс:</translation>
    </message>
    <message>
        <source>No probe set yet. Analysis › Train probes… (Ctrl+Shift+P) trains probes on the current dataset; their confidence for every token and layer shows here.</source>
        <translation>Наборов зондов пока нет. «Анализ › Обучить зонды…» (Ctrl+Shift+P) обучает зонды на текущем наборе данных; здесь показывается их уверенность для каждого токена и слоя.</translation>
    </message>
    <message>
        <source>%1 training examples of class %2</source>
        <translation>%1 обучающих примеров класса %2</translation>
    </message>
    <message>
        <source>Computing…</source>
        <translation>Вычисление…</translation>
    </message>
    <message>
        <source>Nothing to show for this sentence.</source>
        <translation>Для этого предложения нечего показать.</translation>
    </message>
    <message>
        <source>[truncated]</source>
        <translation>[обрезано]</translation>
    </message>
    <message>
        <source>Word</source>
        <translation>Слово</translation>
    </message>
    <message>
        <source>Token</source>
        <translation>Токен</translation>
    </message>
</context>
<context>
    <name>gs::ui::ReportTable</name>
    <message>
        <source>&amp;Copy table</source>
        <translation>Копировать табли&amp;цу</translation>
    </message>
    <message>
        <source>Copy every row as tab-separated text (pastes into a spreadsheet)</source>
        <translation>Скопировать все строки как текст с табуляцией (вставляется в электронную таблицу)</translation>
    </message>
</context>
<context>
    <name>gs::ui::SaeDialog</name>
    <message>
        <source>Train sparse autoencoders</source>
        <translation>Обучение разреженных автокодировщиков</translation>
    </message>
    <message>
        <source>One sparse autoencoder is trained per checked layer, on the hidden states of that layer&apos;s output (emb = the embedding output)</source>
        <translation>Для каждого отмеченного слоя обучается свой разреженный автокодировщик на скрытых состояниях выхода этого слоя (emb — выход слоя эмбеддингов)</translation>
    </message>
    <message>
        <source>emb (embeddings)</source>
        <translation>emb (эмбеддинги)</translation>
    </message>
    <message>
        <source>Layer %1</source>
        <translation>Слой %1</translation>
    </message>
    <message>
        <source>TopK (Gao et al. 2024)</source>
        <translation>TopK (Gao et al. 2024)</translation>
    </message>
    <message>
        <source>ReLU + L1 (Bricken et al. 2023)</source>
        <translation>ReLU + L1 (Bricken et al. 2023)</translation>
    </message>
    <message>
        <source>TopK keeps the k largest codes of every token (sparsity fixed, no shrinkage); ReLU + L1 keeps every positive code and buys sparsity with an L1 penalty (sweep its coefficient)</source>
        <translation>TopK оставляет k наибольших кодов каждого токена (разреженность фиксирована, без сжатия значений); ReLU + L1 оставляет все положительные коды и добивается разреженности штрафом L1 (подберите его коэффициент)</translation>
    </message>
    <message>
        <source>Dictionary size (latents per autoencoder) as a multiple of the hidden size; larger dictionaries split features finer and leave more latents dead</source>
        <translation>Размер словаря (латентов на автокодировщик) в долях скрытого размера; большие словари дробят признаки мельче и оставляют больше мёртвых латентов</translation>
    </message>
    <message>
        <source>TopK: active latents per token (the L0 of every token)</source>
        <translation>TopK: активных латентов на токен (L0 каждого токена)</translation>
    </message>
    <message>
        <source>TopK: dead latents that reconstruct the residual in the auxiliary loss (AuxK, weight 1/32), which revives latents that stopped firing; 0 turns it off</source>
        <translation>TopK: мёртвые латенты, восстанавливающие остаток во вспомогательной потере (AuxK, вес 1/32), которая оживляет переставшие срабатывать латенты; 0 отключает её</translation>
    </message>
    <message>
        <source>ReLU + L1: the coefficient λ of the L1 penalty, for data scaled to unit variance (higher: sparser codes, worse reconstruction)</source>
        <translation>ReLU + L1: коэффициент λ штрафа L1 для данных, нормированных на единичную дисперсию (больше — разреженнее коды, хуже восстановление)</translation>
    </message>
    <message>
        <source>Adam&apos;s learning rate; decoder rows are kept at unit norm after every step</source>
        <translation>Скорость обучения Adam; строки декодера нормируются до единичной длины после каждого шага</translation>
    </message>
    <message>
        <source>Passes over the training tokens (each in a seeded random order)</source>
        <translation>Проходы по обучающим токенам (каждый в случайном порядке от сида)</translation>
    </message>
    <message>
        <source>Tokens per Adam step</source>
        <translation>Токенов на шаг Adam</translation>
    </message>
    <message>
        <source>all</source>
        <translation>все</translation>
    </message>
    <message>
        <source>Training tokens per layer at most (a seeded subset of the training sentences&apos; tokens); all = every token of 90% of the sentences (10% are held out for the metrics)</source>
        <translation>Не больше стольких обучающих токенов на слой (случайное подмножество от сида); все — каждый токен 90% предложений (10% отложены для метрик)</translation>
    </message>
    <message>
        <source>Seeds the initialisation, the token order, the held-out split and the masks of the loss-recovered measure: the same seed gives the same weights</source>
        <translation>Задаёт инициализацию, порядок токенов, отложенную часть и маски меры восстановленной потери: тот же сид даёт те же веса</translation>
    </message>
    <message>
        <source>Train on the special tokens ([CLS], [SEP]) too</source>
        <translation>Обучать и на специальных токенах ([CLS], [SEP])</translation>
    </message>
    <message>
        <source>Special tokens have large, atypical hidden states; left out by default, their columns then show no activation</source>
        <translation>У специальных токенов большие нетипичные скрытые состояния; по умолчанию они не используются, и их столбцы остаются без активаций</translation>
    </message>
    <message>
        <source>Reuse a stored set with the same settings</source>
        <translation>Использовать сохранённый набор с теми же настройками</translation>
    </message>
    <message>
        <source>Show the stored set instead of training again when one was trained with exactly these settings on this dataset</source>
        <translation>Показать сохранённый набор вместо нового обучения, если он обучен с точно такими же настройками на этом наборе данных</translation>
    </message>
    <message>
        <source>Layers</source>
        <translation>Слои</translation>
    </message>
    <message>
        <source>Autoencoder</source>
        <translation>Автокодировщик</translation>
    </message>
    <message>
        <source>&amp;Kind:</source>
        <translation>&amp;Тип:</translation>
    </message>
    <message>
        <source>&amp;Dictionary size:</source>
        <translation>&amp;Размер словаря:</translation>
    </message>
    <message>
        <source>&amp;k (active latents):</source>
        <translation>&amp;k (активных латентов):</translation>
    </message>
    <message>
        <source>&amp;AuxK:</source>
        <translation>&amp;AuxK:</translation>
    </message>
    <message>
        <source>L&amp;1 coefficient:</source>
        <translation>Коэффициент L&amp;1:</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>Обучение</translation>
    </message>
    <message>
        <source>&amp;Learning rate:</source>
        <translation>Скорость о&amp;бучения:</translation>
    </message>
    <message>
        <source>&amp;Epochs:</source>
        <translation>&amp;Эпохи:</translation>
    </message>
    <message>
        <source>&amp;Batch size:</source>
        <translation>Размер &amp;пакета:</translation>
    </message>
    <message>
        <source>&amp;Max training tokens:</source>
        <translation>&amp;Макс. обучающих токенов:</translation>
    </message>
    <message>
        <source>S&amp;eed:</source>
        <translation>&amp;Сид:</translation>
    </message>
    <message>
        <source>Dataset:</source>
        <translation>Набор данных:</translation>
    </message>
    <message>
        <source>&amp;Train</source>
        <translation>&amp;Обучить</translation>
    </message>
    <message>
        <source>Train an autoencoder on every checked layer in the background (live loss in the Sparse autoencoders panel; Esc cancels, training again resumes)</source>
        <translation>Обучить автокодировщик на каждом отмеченном слое в фоне (потеря в реальном времени на панели разреженных автокодировщиков; Esc — отмена, повторный запуск продолжает)</translation>
    </message>
    <message>
        <source>Check at least one layer.</source>
        <translation>Отметьте хотя бы один слой.</translation>
    </message>
    <message>
        <source>k (%1) cannot exceed the dictionary size (%2).</source>
        <translation>k (%1) не может превышать размер словаря (%2).</translation>
    </message>
    <message>
        <source>= %1 latents (hidden size %2)</source>
        <translation>= %1 латентов (скрытый размер %2)</translation>
    </message>
</context>
<context>
    <name>gs::ui::SaePanel</name>
    <message>
        <source>Layer</source>
        <translation>Слой</translation>
    </message>
    <message>
        <source>emb = the embedding output</source>
        <translation>emb — выход слоя эмбеддингов</translation>
    </message>
    <message>
        <source>L0</source>
        <translation>L0</translation>
    </message>
    <message>
        <source>Mean active latents per held-out token</source>
        <translation>Среднее число активных латентов на отложенный токен</translation>
    </message>
    <message>
        <source>FVU</source>
        <translation>FVU</translation>
    </message>
    <message>
        <source>Fraction of variance unexplained on the held-out tokens: Σ‖x − x̂‖² / Σ‖x − x̄‖² (0 = perfect)</source>
        <translation>Доля необъяснённой дисперсии на отложенных токенах: Σ‖x − x̂‖² / Σ‖x − x̄‖² (0 — идеально)</translation>
    </message>
    <message>
        <source>MSE</source>
        <translation>MSE</translation>
    </message>
    <message>
        <source>Mean squared reconstruction error per coordinate</source>
        <translation>Средняя квадратичная ошибка восстановления на координату</translation>
    </message>
    <message>
        <source>Dead %</source>
        <translation>Мёртвых, %</translation>
    </message>
    <message>
        <source>Latents that fire on none of the held-out tokens</source>
        <translation>Латенты, не срабатывающие ни на одном отложенном токене</translation>
    </message>
    <message>
        <source>Token rows the autoencoder was trained on</source>
        <translation>Строки токенов, на которых обучен автокодировщик</translation>
    </message>
    <message>
        <source>TopK k=%1</source>
        <translation>TopK k=%1</translation>
    </message>
    <message>
        <source>ReLU + L1</source>
        <translation>ReLU + L1</translation>
    </message>
    <message>
        <source>%1 latents</source>
        <translation>%1 латентов</translation>
    </message>
    <message>
        <source>layers %1</source>
        <translation>слои %1</translation>
    </message>
    <message>
        <source>imported from SAELens</source>
        <translation>импортирован из SAELens</translation>
    </message>
    <message>
        <source>%1 sentences</source>
        <translation>%1 предложений</translation>
    </message>
    <message>
        <source>Learning rate %1 · %2 epoch(s) · batch %3 · seed %4</source>
        <translation>Скорость обучения %1 · эпох: %2 · пакет %3 · сид %4</translation>
    </message>
    <message>
        <source>%1 held-out sentences for the metrics; %2 s</source>
        <translation>Отложено для метрик предложений: %1; %2 с</translation>
    </message>
    <message>
        <source>Stored as %1</source>
        <translation>Сохранён как %1</translation>
    </message>
    <message>
        <source>Train…</source>
        <translation>Обучить…</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>Импорт…</translation>
    </message>
    <message>
        <source>Store SAELens folders (cfg.json + sae_weights.safetensors) as a set for the loaded model</source>
        <translation>Сохранить папки SAELens (cfg.json + sae_weights.safetensors) как набор для загруженной модели</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Экспорт…</translation>
    </message>
    <message>
        <source>Write the chosen set as SAELens folders, one per layer</source>
        <translation>Записать выбранный набор как папки SAELens, по одной на слой</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Удалить</translation>
    </message>
    <message>
        <source>Delete the chosen set from the results store</source>
        <translation>Удалить выбранный набор из хранилища результатов</translation>
    </message>
    <message>
        <source>SAE sets of this model:</source>
        <translation>Наборы SAE этой модели:</translation>
    </message>
    <message>
        <source>Sparse autoencoder sets of the loaded model, newest first; they are kept in the results store</source>
        <translation>Наборы разреженных автокодировщиков загруженной модели, новые сверху; они хранятся в хранилище результатов</translation>
    </message>
    <message>
        <source>Steps of the job done (hidden states, then each layer&apos;s training and measures)</source>
        <translation>Выполненные шаги задания (скрытые состояния, затем обучение и метрики каждого слоя)</translation>
    </message>
    <message>
        <source>Cancel the training (Esc); training again resumes where it stopped</source>
        <translation>Отменить обучение (Esc); повторный запуск продолжит с места остановки</translation>
    </message>
    <message>
        <source>Per-layer metrics on the held-out sentences; Ctrl+C or the context menu copies the table</source>
        <translation>Метрики по слоям на отложенных предложениях; Ctrl+C или контекстное меню копирует таблицу</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>Шаг</translation>
    </message>
    <message>
        <source>Loss, FVU, dead fraction</source>
        <translation>Потеря, FVU, доля мёртвых</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>Потеря</translation>
    </message>
    <message>
        <source>Dead fraction</source>
        <translation>Доля мёртвых</translation>
    </message>
    <message>
        <source>L0 ▸</source>
        <translation>L0 ▸</translation>
    </message>
    <message>
        <source>Train sparse autoencoders on the current dataset (Analysis › Train sparse autoencoders…, Ctrl+Shift+A)</source>
        <translation>Обучить разреженные автокодировщики на текущем наборе данных (Анализ › Обучить разреженные автокодировщики…, Ctrl+Shift+A)</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Запуск…</translation>
    </message>
    <message>
        <source>%1 / %2 sentences</source>
        <translation>%1 / %2 предложений</translation>
    </message>
    <message>
        <source>step %1 / %2 · FVU %3 · L0 %4</source>
        <translation>шаг %1 / %2 · FVU %3 · L0 %4</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Отмена…</translation>
    </message>
    <message>
        <source>No SAE set for this model yet: Train… learns a dictionary of sparse features for chosen layers of the current dataset.</source>
        <translation>Для этой модели ещё нет набора SAE: «Обучить…» выучивает словарь разреженных признаков для выбранных слоёв по текущему набору данных.</translation>
    </message>
    <message>
        <source>Choose a set to see its metrics.</source>
        <translation>Выберите набор, чтобы увидеть его метрики.</translation>
    </message>
    <message>
        <source>Cross-entropy per masked token: clean %1, layer zeroed %2, with the SAE %3 (%4 masked tokens)</source>
        <translation>Перекрёстная энтропия на замаскированный токен: без вмешательства %1, слой обнулён %2, с SAE %3 (замаскировано токенов: %4)</translation>
    </message>
    <message>
        <source>Loss rec.</source>
        <translation>Восст. потери</translation>
    </message>
    <message>
        <source>Loss recovered: MLM loss with the reconstruction spliced into the layer: (CE_zero − CE_sae) / (CE_zero − CE_clean); 1 = as good as the model</source>
        <translation>Восстановленная потеря: потеря MLM с реконструкцией, подставленной в слой: (CE_zero − CE_sae) / (CE_zero − CE_clean); 1 — как у самой модели</translation>
    </message>
    <message>
        <source>Train rows</source>
        <translation>Обуч. строк</translation>
    </message>
    <message>
        <source>Every training step of the last training: loss, FVU and dead fraction on the left axis, L0 (active latents per token) on the right; each layer&apos;s SAE follows the previous one, after a dotted line with the layer&apos;s name</source>
        <translation>Каждый шаг последнего обучения: потеря, FVU и доля мёртвых латентов на левой оси, L0 (активных латентов на токен) на правой; SAE каждого слоя идёт за предыдущим, после пунктирной линии с именем слоя</translation>
    </message>
    <message>
        <source>emb</source>
        <translation>emb</translation>
    </message>
    <message>
        <source>L%1</source>
        <translation>L%1</translation>
    </message>
</context>
<context>
    <name>gs::ui::SaeView</name>
    <message>
        <source>The SAE set whose features are drawn (Analysis › Train sparse autoencoders…)</source>
        <translation>Набор SAE, признаки которого показаны (Анализ › Обучить разреженные автокодировщики…)</translation>
    </message>
    <message>
        <source>The layer whose autoencoder reads the hidden states</source>
        <translation>Слой, автокодировщик которого читает скрытые состояния</translation>
    </message>
    <message>
        <source>Current pair side by side</source>
        <translation>Текущая пара рядом</translation>
    </message>
    <message>
        <source>Show both sentences of the pair chosen in the Datasets panel with the same feature rows: grammatical left, ungrammatical right</source>
        <translation>Показать оба предложения пары, выбранной на панели наборов данных, с одинаковыми строками признаков: грамматичное слева, неграмматичное справа</translation>
    </message>
    <message>
        <source>SAE set:</source>
        <translation>Набор SAE:</translation>
    </message>
    <message>
        <source>Layer:</source>
        <translation>Слой:</translation>
    </message>
    <message>
        <source>Feature</source>
        <translation>Признак</translation>
    </message>
    <message>
        <source>Good</source>
        <translation>Грам.</translation>
    </message>
    <message>
        <source>Bad</source>
        <translation>Неграм.</translation>
    </message>
    <message>
        <source>Difference</source>
        <translation>Разность</translation>
    </message>
    <message>
        <source>Features whose largest activation differs most between the two sentences (good − bad); click a row to follow the feature</source>
        <translation>Признаки, наибольшая активация которых сильнее всего различается в двух предложениях (грамматичное − неграмматичное); щёлкните строку, чтобы проследить признак</translation>
    </message>
    <message>
        <source>Features that differ most</source>
        <translation>Наиболее различающиеся признаки</translation>
    </message>
    <message>
        <source>Feature %1 on “%2”: %3</source>
        <translation>Признак %1 на «%2»: %3</translation>
    </message>
    <message>
        <source>Every token of the current dataset is read by the layer&apos;s autoencoder once; the index is kept in the results store</source>
        <translation>Каждый токен текущего набора данных один раз пропускается через автокодировщик слоя; индекс хранится в хранилище результатов</translation>
    </message>
    <message>
        <source>How strongly the feature fires on the dataset&apos;s tokens where it fires (tokens per activation bin)</source>
        <translation>Насколько сильно признак срабатывает на токенах набора данных, где он активен (токенов на интервал активации)</translation>
    </message>
    <message>
        <source>Activation</source>
        <translation>Активация</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>Токены</translation>
    </message>
    <message>
        <source>Features of the same layer whose decoder directions are nearest (cosine); click one to follow it</source>
        <translation>Признаки того же слоя с ближайшими направлениями декодера (косинус); щёлкните, чтобы проследить</translation>
    </message>
    <message>
        <source>The dataset&apos;s tokens on which the feature fires most, in their sentences</source>
        <translation>Токены набора данных, на которых признак срабатывает сильнее всего, в своих предложениях</translation>
    </message>
    <message>
        <source>Nearest features</source>
        <translation>Ближайшие признаки</translation>
    </message>
    <message>
        <source>Top-activating contexts</source>
        <translation>Контексты с наибольшей активацией</translation>
    </message>
    <message>
        <source>No SAE set yet. Analysis › Train sparse autoencoders… (Ctrl+Shift+A) learns a dictionary of sparse features; the features of the sentence show here.</source>
        <translation>Набора SAE ещё нет. Анализ › Обучить разреженные автокодировщики… (Ctrl+Shift+A) выучивает словарь разреженных признаков; признаки предложения появятся здесь.</translation>
    </message>
    <message>
        <source>emb</source>
        <translation>emb</translation>
    </message>
    <message>
        <source>Computing…</source>
        <translation>Вычисление…</translation>
    </message>
    <message>
        <source>No feature fires on this sentence.</source>
        <translation>На этом предложении не срабатывает ни один признак.</translation>
    </message>
    <message>
        <source>Nothing to show for this sentence.</source>
        <translation>Для этого предложения нечего показать.</translation>
    </message>
    <message>
        <source>[truncated]</source>
        <translation>[обрезано]</translation>
    </message>
    <message>
        <source>Word</source>
        <translation>Слово</translation>
    </message>
    <message>
        <source>Token</source>
        <translation>Токен</translation>
    </message>
    <message>
        <source>Following the feature…</source>
        <translation>Признак прослеживается…</translation>
    </message>
    <message>
        <source>Feature %1 at layer %2</source>
        <translation>Признак %1 в слое %2</translation>
    </message>
    <message>
        <source>%1 · cosine %2</source>
        <translation>%1 · косинус %2</translation>
    </message>
    <message>
        <source>Type a sentence to follow the feature across layers.</source>
        <translation>Введите предложение, чтобы проследить признак по слоям.</translation>
    </message>
    <message>
        <source>%1 across layers: %2</source>
        <translation>%1 по слоям: %2</translation>
    </message>
    <message>
        <source>Indexing the dataset&apos;s tokens…</source>
        <translation>Индексация токенов набора данных…</translation>
    </message>
    <message>
        <source>Click a row of the heatmap to follow a feature.</source>
        <translation>Щёлкните строку тепловой карты, чтобы проследить признак.</translation>
    </message>
    <message>
        <source>The dataset profile appears once the index is built.</source>
        <translation>Профиль по набору данных появится, когда будет построен индекс.</translation>
    </message>
    <message>
        <source>Fires on %1% of %2 tokens (%3) · mean %4 · max %5</source>
        <translation>Срабатывает на %1% из %2 токенов (%3) · среднее %4 · макс. %5</translation>
    </message>
    <message>
        <source>&lt;p&gt;The feature fires on no token of the dataset.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Признак не срабатывает ни на одном токене набора данных.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>The feature across the layers of the set on this sentence: in its own layer the feature itself, elsewhere the feature with the nearest decoder direction; click a row to open that layer&apos;s feature</source>
        <translation>Признак по слоям набора на этом предложении: в своём слое — сам признак, в остальных — признак с ближайшим направлением декодера; щелчок по строке открывает признак этого слоя</translation>
    </message>
</context>
<context>
    <name>gs::ui::SentencePanel</name>
    <message>
        <source>Type or paste a sentence, e.g. Мама мыла раму, а ёж спал.</source>
        <translation>Введите или вставьте предложение, например: Мама мыла раму, а ёж спал.</translation>
    </message>
    <message>
        <source>The sentence to encode. Enter or Ctrl+Return runs the model.</source>
        <translation>Предложение для кодирования. Enter или Ctrl+Return запускает модель.</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>&amp;Запустить</translation>
    </message>
    <message>
        <source>Encode the sentence and show how each token changes across layers (Enter, Ctrl+Return)</source>
        <translation>Закодировать предложение и показать, как каждый токен меняется по слоям (Enter, Ctrl+Return)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Отмена</translation>
    </message>
    <message>
        <source>Stop the running job (Esc)</source>
        <translation>Остановить выполняющееся задание (Esc)</translation>
    </message>
    <message>
        <source>Quantity drawn for every token and layer: %1</source>
        <translation>Величина, отображаемая для каждого токена и слоя: %1</translation>
    </message>
    <message>
        <source>Merge sub-tokens into &amp;words</source>
        <translation>Объ&amp;единять подтокены в слова</translation>
    </message>
    <message>
        <source>Show one column per word (the mean over its sub-tokens) instead of one per token</source>
        <translation>Показывать по одному столбцу на слово (среднее по его подтокенам) вместо одного на токен</translation>
    </message>
    <message>
        <source>&amp;Quantity:</source>
        <translation>Вели&amp;чина:</translation>
    </message>
    <message>
        <source>&amp;Sentence:</source>
        <translation>&amp;Предложение:</translation>
    </message>
</context>
<context>
    <name>gs::ui::SentenceView</name>
    <message>
        <source>Changed: missing from the other sentence</source>
        <translation>Изменено: отсутствует в другом предложении</translation>
    </message>
    <message>
        <source>Changed: the other sentence has «%1»</source>
        <translation>Изменено: в другом предложении — «%1»</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Sentence to encode once the model has loaded.</source>
        <translation>Предложение, которое нужно закодировать после загрузки модели.</translation>
    </message>
    <message>
        <source>sentence</source>
        <translation>предложение</translation>
    </message>
    <message>
        <source>Shows where a BERT-style masked language model keeps grammar: a token x layer view of its hidden states.</source>
        <translation>Показывает, где BERT-подобная маскированная языковая модель хранит грамматику: вид «токен × слой» её скрытых состояний.</translation>
    </message>
    <message>
        <source>Hugging Face checkpoint folder to open (config.json, weights, tokenizer).</source>
        <translation>Папка с чекпойнтом Hugging Face для открытия (config.json, веса, токенизатор).</translation>
    </message>
    <message>
        <source>Dataset to open: minimal pairs or sentences (CSV, TSV, JSONL, text, CoNLL-U); may be given several times.</source>
        <translation>Набор данных для открытия: минимальные пары или предложения (CSV, TSV, JSONL, текст, CoNLL-U); можно указать несколько раз.</translation>
    </message>
    <message>
        <source>file</source>
        <translation>файл</translation>
    </message>
    <message>
        <source>Start empty instead of opening the built-in demo.</source>
        <translation>Запустить пустым вместо открытия встроенного демо.</translation>
    </message>
</context>
</TS>
