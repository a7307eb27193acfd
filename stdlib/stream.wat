;; stdlib/stream.wat — :wat::std::stream::*, pipelines of green threads.
;;
;; A Stream<T> is (Receiver<T>, ProgramHandle<()>): the receiving end of a
;; capacity-1 queue and the thread feeding it. Each stage is one worker
;; thread looping by tail call: receive, act, send, repeat. Shutdown is the
;; drop cascade: a worker returns when its input is exhausted (recv gives
;; :None) or its output is gone (send gives :None), and its own ends go with
;; it, which tells the stages on either side.

(:wat::core::typealias :wat::std::stream::Stream<T>
  :(rust::crossbeam_channel::Receiver<T>,wat::kernel::ProgramHandle<()>))
(:wat::core::typealias :wat::std::stream::Producer<T>
  :fn(rust::crossbeam_channel::Sender<T>)->())

;; ─── sources ───────────────────────────────────────────────────────────

;; Run `producer` on its own thread with the sending end of a new stream.
(:wat::core::define (:wat::std::stream::spawn-producer<T> (producer :wat::std::stream::Producer<T>) -> :wat::std::stream::Stream<T>)
  (:wat::core::let* (((tx rx) (:wat::kernel::make-bounded-queue :T 1)))
    (:wat::core::tuple rx (:wat::kernel::spawn producer tx))))

;; A stream from a receiver and the thread that feeds it.
(:wat::core::define (:wat::std::stream::from-receiver<T> (rx :rust::crossbeam_channel::Receiver<T>) (handle :wat::kernel::ProgramHandle<()>) -> :wat::std::stream::Stream<T>)
  (:wat::core::tuple rx handle))

;; ─── 1:1 and 1:0..1 stages ─────────────────────────────────────────────

(:wat::core::define (:wat::std::stream::map-worker<T,U> (in :rust::crossbeam_channel::Receiver<T>) (out :rust::crossbeam_channel::Sender<U>) (f :fn(T)->U) -> :())
  (:wat::core::match (:wat::kernel::recv in) -> :()
    ((Some v)
      (:wat::core::match (:wat::kernel::send out (f v)) -> :()
        ((Some _) (:wat::std::stream::map-worker in out f))
        (:None ())))
    (:None ())))

(:wat::core::define (:wat::std::stream::map<T,U> (upstream :wat::std::stream::Stream<T>) (f :fn(T)->U) -> :wat::std::stream::Stream<U>)
  (:wat::core::let* (((tx rx) (:wat::kernel::make-bounded-queue :U 1)))
    (:wat::core::tuple rx (:wat::kernel::spawn :wat::std::stream::map-worker (:wat::core::first upstream) tx f))))

(:wat::core::define (:wat::std::stream::filter-worker<T> (in :rust::crossbeam_channel::Receiver<T>) (out :rust::crossbeam_channel::Sender<T>) (keep? :fn(T)->bool) -> :())
  (:wat::core::match (:wat::kernel::recv in) -> :()
    ((Some v)
      (:wat::core::if (keep? v) -> :()
        (:wat::core::match (:wat::kernel::send out v) -> :()
          ((Some _) (:wat::std::stream::filter-worker in out keep?))
          (:None ()))
        (:wat::std::stream::filter-worker in out keep?)))
    (:None ())))

(:wat::core::define (:wat::std::stream::filter<T> (upstream :wat::std::stream::Stream<T>) (keep? :fn(T)->bool) -> :wat::std::stream::Stream<T>)
  (:wat::core::let* (((tx rx) (:wat::kernel::make-bounded-queue :T 1)))
    (:wat::core::tuple rx (:wat::kernel::spawn :wat::std::stream::filter-worker (:wat::core::first upstream) tx keep?))))

(:wat::core::define (:wat::std::stream::inspect-worker<T> (in :rust::crossbeam_channel::Receiver<T>) (out :rust::crossbeam_channel::Sender<T>) (see :fn(T)->()) -> :())
  (:wat::core::match (:wat::kernel::recv in) -> :()
    ((Some v)
      (:wat::core::let* (((_ :()) (see v)))
        (:wat::core::match (:wat::kernel::send out v) -> :()
          ((Some _) (:wat::std::stream::inspect-worker in out see))
          (:None ()))))
    (:None ())))

(:wat::core::define (:wat::std::stream::inspect<T> (upstream :wat::std::stream::Stream<T>) (see :fn(T)->()) -> :wat::std::stream::Stream<T>)
  (:wat::core::let* (((tx rx) (:wat::kernel::make-bounded-queue :T 1)))
    (:wat::core::tuple rx (:wat::kernel::spawn :wat::std::stream::inspect-worker (:wat::core::first upstream) tx see))))

;; ─── 1:N and N:1 stages ────────────────────────────────────────────────

;; Send every item of `items` in order; false when the receiver went away.
(:wat::core::define (:wat::std::stream::drain-items<U> (out :rust::crossbeam_channel::Sender<U>) (items :Vec<U>) -> :bool)
  (:wat::core::if (:wat::core::empty? items) -> :bool
    true
    (:wat::core::match (:wat::kernel::send out (:wat::core::first items)) -> :bool
      ((Some _) (:wat::std::stream::drain-items out (:wat::core::rest items)))
      (:None false))))

(:wat::core::define (:wat::std::stream::flat-map-worker<T,U> (in :rust::crossbeam_channel::Receiver<T>) (out :rust::crossbeam_channel::Sender<U>) (f :fn(T)->Vec<U>) -> :())
  (:wat::core::match (:wat::kernel::recv in) -> :()
    ((Some v)
      (:wat::core::if (:wat::std::stream::drain-items out (f v)) -> :()
        (:wat::std::stream::flat-map-worker in out f)
        ()))
    (:None ())))

(:wat::core::define (:wat::std::stream::flat-map<T,U> (upstream :wat::std::stream::Stream<T>) (f :fn(T)->Vec<U>) -> :wat::std::stream::Stream<U>)
  (:wat::core::let* (((tx rx) (:wat::kernel::make-bounded-queue :U 1)))
    (:wat::core::tuple rx (:wat::kernel::spawn :wat::std::stream::flat-map-worker (:wat::core::first upstream) tx f))))

;; A Mealy machine: step turns (state, item) into (state, items to emit);
;; flush turns the final state into the last items when upstream ends.
(:wat::core::define (:wat::std::stream::with-state-worker<T,U,Acc>
    (in :rust::crossbeam_channel::Receiver<T>) (out :rust::crossbeam_channel::Sender<U>)
    (step :fn(Acc,T)->(Acc,Vec<U>)) (flush :fn(Acc)->Vec<U>) (acc :Acc) -> :())
  (:wat::core::match (:wat::kernel::recv in) -> :()
    ((Some v)
      (:wat::core::let* (((next emit) (step acc v)))
        (:wat::core::if (:wat::std::stream::drain-items out emit) -> :()
          (:wat::std::stream::with-state-worker in out step flush next)
          ())))
    (:None
      (:wat::core::let* (((_ :bool) (:wat::std::stream::drain-items out (flush acc)))) ()))))

(:wat::core::define (:wat::std::stream::with-state<T,U,Acc>
    (upstream :wat::std::stream::Stream<T>) (init :Acc)
    (step :fn(Acc,T)->(Acc,Vec<U>)) (flush :fn(Acc)->Vec<U>) -> :wat::std::stream::Stream<U>)
  (:wat::core::let* (((tx rx) (:wat::kernel::make-bounded-queue :U 1)))
    (:wat::core::tuple rx
      (:wat::kernel::spawn :wat::std::stream::with-state-worker (:wat::core::first upstream) tx step flush init))))

;; chunks as a with-state triple: buffer until `size`, flush the remainder.
(:wat::core::define (:wat::std::stream::chunks-step<T> (buffer :Vec<T>) (item :T) (size :i64) -> :(Vec<T>,Vec<Vec<T>>))
  (:wat::core::let* (((grown :Vec<T>) (:wat::core::conj buffer item)))
    (:wat::core::if (:wat::core::>= (:wat::core::length grown) size) -> :(Vec<T>,Vec<Vec<T>>)
      (:wat::core::tuple (:wat::core::vec :T) (:wat::core::vec :Vec<T> grown))
      (:wat::core::tuple grown (:wat::core::vec :Vec<T>)))))

(:wat::core::define (:wat::std::stream::chunks-flush<T> (buffer :Vec<T>) -> :Vec<Vec<T>>)
  (:wat::core::if (:wat::core::empty? buffer) -> :Vec<Vec<T>>
    (:wat::core::vec :Vec<T>)
    (:wat::core::vec :Vec<T> buffer)))

(:wat::core::define (:wat::std::stream::chunks<T> (upstream :wat::std::stream::Stream<T>) (size :i64) -> :wat::std::stream::Stream<Vec<T>>)
  (:wat::std::stream::with-state upstream (:wat::core::vec :T)
    (:wat::core::lambda ((buffer :Vec<T>) (item :T) -> :(Vec<T>,Vec<Vec<T>>))
      (:wat::std::stream::chunks-step buffer item size))
    :wat::std::stream::chunks-flush))

;; The first n items, then the stage ends (and with it both its ends).
(:wat::core::define (:wat::std::stream::take-worker<T> (in :rust::crossbeam_channel::Receiver<T>) (out :rust::crossbeam_channel::Sender<T>) (remaining :i64) -> :())
  (:wat::core::if (:wat::core::<= remaining 0) -> :()
    ()
    (:wat::core::match (:wat::kernel::recv in) -> :()
      ((Some v)
        (:wat::core::match (:wat::kernel::send out v) -> :()
          ((Some _) (:wat::std::stream::take-worker in out (:wat::core::i64::- remaining 1)))
          (:None ())))
      (:None ()))))

(:wat::core::define (:wat::std::stream::take<T> (upstream :wat::std::stream::Stream<T>) (n :i64) -> :wat::std::stream::Stream<T>)
  (:wat::core::let* (((tx rx) (:wat::kernel::make-bounded-queue :T 1)))
    (:wat::core::tuple rx (:wat::kernel::spawn :wat::std::stream::take-worker (:wat::core::first upstream) tx n))))

;; ─── terminals: drive the stream to its end, then join its producer ────

(:wat::core::define (:wat::std::stream::for-each-drain<T> (rx :rust::crossbeam_channel::Receiver<T>) (handler :fn(T)->()) -> :())
  (:wat::core::match (:wat::kernel::recv rx) -> :()
    ((Some v) (:wat::core::let* (((_ :()) (handler v))) (:wat::std::stream::for-each-drain rx handler)))
    (:None ())))

(:wat::core::define (:wat::std::stream::for-each<T> (stream :wat::std::stream::Stream<T>) (handler :fn(T)->()) -> :())
  (:wat::core::let* (((_ :()) (:wat::std::stream::for-each-drain (:wat::core::first stream) handler)))
    (:wat::kernel::join (:wat::core::second stream))))

(:wat::core::define (:wat::std::stream::collect-drain<T> (rx :rust::crossbeam_channel::Receiver<T>) (acc :Vec<T>) -> :Vec<T>)
  (:wat::core::match (:wat::kernel::recv rx) -> :Vec<T>
    ((Some v) (:wat::std::stream::collect-drain rx (:wat::core::conj acc v)))
    (:None acc)))

(:wat::core::define (:wat::std::stream::collect<T> (stream :wat::std::stream::Stream<T>) -> :Vec<T>)
  (:wat::core::let* (((items :Vec<T>) (:wat::std::stream::collect-drain (:wat::core::first stream) (:wat::core::vec :T)))
                     ((_ :()) (:wat::kernel::join (:wat::core::second stream))))
    items))

(:wat::core::define (:wat::std::stream::fold-drain<T,Acc> (rx :rust::crossbeam_channel::Receiver<T>) (acc :Acc) (f :fn(Acc,T)->Acc) -> :Acc)
  (:wat::core::match (:wat::kernel::recv rx) -> :Acc
    ((Some v) (:wat::std::stream::fold-drain rx (f acc v) f))
    (:None acc)))

(:wat::core::define (:wat::std::stream::fold<T,Acc> (stream :wat::std::stream::Stream<T>) (init :Acc) (f :fn(Acc,T)->Acc) -> :Acc)
  (:wat::core::let* (((result :Acc) (:wat::std::stream::fold-drain (:wat::core::first stream) init f))
                     ((_ :()) (:wat::kernel::join (:wat::core::second stream))))
    result))
